FROM alpine:3.20
COPY / /
COPY rootfs/ /
