FROM debian:12-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
FROM alpine:3.22
RUN apk update
RUN apk add curl
FROM rockylinux:9
RUN dnf makecache
