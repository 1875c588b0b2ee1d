FROM alpine:3.20
RUN apk add --no-cache "openssl>3.1" "zlib<2"
