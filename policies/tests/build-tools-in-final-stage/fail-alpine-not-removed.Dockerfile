FROM alpine:3.22 AS base
RUN apk add --no-cache --virtual .build-deps build-base curl
FROM base
USER 1000
