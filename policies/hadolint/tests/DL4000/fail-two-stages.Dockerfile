FROM golang:1.22 AS build
MAINTAINER ops@example.com
RUN go build ./...
FROM alpine:3.20
MAINTAINER "Ops Team"
