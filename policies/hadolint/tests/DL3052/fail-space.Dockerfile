FROM nginx:1.27
LABEL org.opencontainers.image.documentation="https://wiki.acme.io/Web Team/nginx"
