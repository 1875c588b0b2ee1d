FROM alpine:3.20
LABEL org.opencontainers.image.title="" \
      org.opencontainers.image.version="2.3.1"
RUN apk add --no-cache tini=0.19.0-r3
ENTRYPOINT ["/sbin/tini", "--"]
