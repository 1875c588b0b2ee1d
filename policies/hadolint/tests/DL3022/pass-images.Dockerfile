FROM debian:bookworm-slim
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/
ARG TOOLS_IMAGE=alpine:3.20
COPY --from=${TOOLS_IMAGE} /bin/sh /bin/sh2
