FROM debian:12-slim
RUN apt-get update && apt-get upgrade -y && apt-get dist-upgrade -y
FROM alpine:3.22
RUN apk upgrade --no-cache
FROM rockylinux:9
RUN dnf -y update && yum upgrade -y
FROM opensuse/leap:15.6
RUN zypper --non-interactive dup
