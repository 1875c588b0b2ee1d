FROM alpine:3.22 AS a
RUN apk add --no-cache --allow-untrusted /tmp/pkg.apk
FROM debian:12-slim AS d
RUN apt-get update && apt-get install -y --allow-unauthenticated foo
RUN apt-get -o APT::Get::AllowUnauthenticated=true install -y bar
RUN apt-get install -y --force-yes baz
FROM rockylinux:9 AS r
RUN dnf install -y --nogpgcheck foo && yum --setopt=gpgcheck=0 install -y bar
RUN rpm -ivh --nosignature /tmp/x.rpm
FROM opensuse/leap:15.6
RUN zypper --no-gpg-checks install -y foo
