FROM node:20-alpine
LABEL org.opencontainers.image.version=2.4 \
      org.opencontainers.image.title=web
LABEL org.opencontainers.image.version=latest
