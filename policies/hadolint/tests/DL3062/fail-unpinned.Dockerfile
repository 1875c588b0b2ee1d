FROM golang:1.22
RUN go install github.com/golangci/golangci-lint/cmd/golangci-lint
