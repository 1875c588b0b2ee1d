# Build the API server
FROM golang:1.22
# hadolint is run in CI
RUN go build ./...
