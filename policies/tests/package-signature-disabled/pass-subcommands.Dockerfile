# Flags on commands that install nothing: building an index of packages
# the build made, removing packages.
FROM alpine:3.22 AS repo
RUN apk add --no-cache abuild \
 && apk index --allow-untrusted -o /repo/APKINDEX.tar.gz /repo/*.apk \
 && abuild-sign -k /keys/build.rsa /repo/APKINDEX.tar.gz
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && apt-get purge -y --force-yes --auto-remove wget \
 && apt-get remove --allow-unauthenticated -y curl \
 && rm -rf /var/lib/apt/lists/*
RUN dpkg --force-all -r legacy-tool && rpm -qa --nosignature
