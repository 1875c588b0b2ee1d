FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get update \
 && apt-get upgrade -y
FROM alpine:3.22
RUN apk update && apk add curl
FROM rockylinux:9
RUN dnf makecache && dnf install -y nginx
RUN yum update -y
