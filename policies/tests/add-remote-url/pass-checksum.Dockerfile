FROM alpine:3.22
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool-1.2.3.tar.gz /tmp/
ADD https://github.com/example/repo.git#3f1c9ad1e5cbb9b1c3d0a8f2f4e6b7c8d9e0f1a2 /src
COPY local.txt /tmp/
