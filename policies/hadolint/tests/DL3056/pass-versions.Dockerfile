FROM node:20-alpine
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.version=$VERSION
LABEL org.opencontainers.image.version="2.0.1-rc1"
LABEL org.opencontainers.image.version=1.4.0-beta.2+build.417
