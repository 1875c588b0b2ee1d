FROM nginx:1.27-alpine
LABEL maintainer="web-team@example.com" \
      "org.opencontainers.image.source"="https://github.com/acme/site" \
      org.opencontainers.image.licenses=MIT
COPY dist/ /usr/share/nginx/html/
