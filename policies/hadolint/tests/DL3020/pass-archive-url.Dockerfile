FROM debian:bookworm-slim
ADD rootfs.tar.xz /
ADD https://example.com/tool-1.0.tar.gz /tmp/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/file.txt /tmp/
