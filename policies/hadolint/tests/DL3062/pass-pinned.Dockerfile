FROM golang:1.22
RUN go install golang.org/x/tools/cmd/goimports@v0.24.0
RUN go install github.com/a/gen@v1.2.0 golang.org/x/vuln/cmd/govulncheck@v1.1.3
