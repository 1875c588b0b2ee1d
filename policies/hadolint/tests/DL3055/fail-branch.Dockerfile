FROM golang:1.22-alpine
LABEL org.opencontainers.image.revision="main"
WORKDIR /src
COPY . .
RUN go build -o /bin/app ./cmd/app
