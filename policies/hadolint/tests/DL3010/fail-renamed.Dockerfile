FROM alpine:3.20
WORKDIR /opt
COPY dist/release.tar.xz /opt/release.tar.xz
RUN tar xJf /opt/release.tar.xz
