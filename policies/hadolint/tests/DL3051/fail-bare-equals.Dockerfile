FROM ubuntu:24.04
LABEL org.opencontainers.image.version=
LABEL description="" org.opencontainers.image.title=''
