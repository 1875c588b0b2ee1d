FROM debian:12-slim
RUN apt-get update && apt-get install -y --only-upgrade openssl && apt-get upgrade -y libssl3
FROM alpine:3.22
RUN apk upgrade --no-cache openssl
FROM rockylinux:9
RUN dnf update -y openssl && dnf install -y nginx
