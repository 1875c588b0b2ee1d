FROM debian:bookworm-slim
ADD --chown=app:app rootfs.tar.gz config.yaml /opt/app/
