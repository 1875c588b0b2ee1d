# Packages built in an earlier stage, installed without the network: no
# index is fetched, nothing is cached.
FROM alpine:3.22 AS packages
RUN apk add --no-cache alpine-sdk && abuild-keygen -a -n
FROM alpine:3.22
COPY --from=packages /home/packager/packages/ /tmp/packages/
RUN apk add --no-network --allow-untrusted /tmp/packages/x86_64/*.apk && rm -rf /tmp/packages
