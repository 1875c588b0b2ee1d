FROM golang:1.22
RUN go install example.com/gen/cmd/gen golang.org/x/tools/cmd/goimports@v0.24.0
