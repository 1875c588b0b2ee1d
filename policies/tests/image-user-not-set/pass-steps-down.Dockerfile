FROM alpine:3.22
RUN apk add --no-cache su-exec && adduser -S -u 10001 app
COPY server /usr/local/bin/server
ENTRYPOINT ["su-exec", "app", "/usr/local/bin/server"]
