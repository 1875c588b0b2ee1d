FROM golang:1.22
COPY . /src
WORKDIR /src
RUN go install ./cmd/server && go run ./tools/gen && go build ./...
