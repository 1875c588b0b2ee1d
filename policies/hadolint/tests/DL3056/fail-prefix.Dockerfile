FROM node:20-alpine
LABEL org.opencontainers.image.version="v2.4.0"
COPY . /app
