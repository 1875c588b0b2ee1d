# GIT_SSL_NO_VERIFY turns git's checks off whatever its value; build
# arguments are environment variables of the RUN steps after them.
FROM debian:12-slim
ARG GIT_SSL_NO_VERIFY=true
ARG NODE_TLS_REJECT_UNAUTHORIZED=0
ENV GIT_SSL_NO_VERIFY=false
RUN git clone https://git.internal.example/team/app.git /src
FROM rockylinux:9
RUN yum-config-manager --save --setopt=*.sslverify=0 \
 && dnf config-manager --setopt=internal.sslverify=false --save
