FROM node:20-alpine
ARG REPO_URL
LABEL org.opencontainers.image.source=https://github.com/acme/web.git \
      org.opencontainers.image.documentation="https://github.com/acme/web#readme"
LABEL org.opencontainers.image.source=$REPO_URL
