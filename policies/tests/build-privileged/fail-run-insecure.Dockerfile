# syntax=docker/dockerfile:1-labs
FROM debian:12-slim
RUN --security=insecure mount -t tmpfs none /mnt && ./build-rootfs.sh /mnt
RUN --security=sandbox echo "sandbox is the default"
