FROM alpine:3.22 AS base
RUN apk add --no-cache --virtual .tools sudo
FROM base
USER 1000
