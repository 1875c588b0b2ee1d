FROM node:20-alpine
ARG REPO_URL
LABEL org.opencontainers.image.source=https://github.com/acme/web.git \
      org.opencontainers.image.documentation="https://github.com/acme/web#readme"
LABEL org.opencontainers.image.source=$REPO_URL
LABEL org.opencontainers.image.documentation="https://registry.example.com:5000/v2/_catalog?n=100" \
      org.opencontainers.image.source="git+ssh://git@github.com/acme/web.git"
