FROM alpine:3.20
ENTRYPOINT ["/bin/sh"]
RUN apk add --no-cache tini
ENTRYPOINT ["/sbin/tini", "--"]
