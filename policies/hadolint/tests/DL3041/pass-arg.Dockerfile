FROM fedora:40
ARG NGINX_VERSION=1.24.0
RUN dnf install -y nginx-${NGINX_VERSION} && dnf clean all
