FROM alpine:3.22 AS build
RUN apk add gcc musl-dev
FROM alpine:3.22
RUN apk add --no-cache curl
RUN apk --no-cache add git
RUN apk add jq && rm -rf /var/cache/apk/*
RUN --mount=type=cache,target=/var/cache/apk apk add make
