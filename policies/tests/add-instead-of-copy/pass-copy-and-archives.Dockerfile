FROM alpine:3.22
COPY app/ /opt/app/
ADD rootfs.tar.xz /
ADD vendor.tgz deps.tar.zst /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /tmp/
