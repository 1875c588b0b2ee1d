FROM alpine:3.20
RUN apk update && apk del curl && apk add --no-cache --allow-untrusted /tmp/pkg-1.0.apk
