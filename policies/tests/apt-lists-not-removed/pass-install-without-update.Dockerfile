# The base image's lists were removed; an install without update
# downloads none (it fails when the lists are gone, which the build shows).
FROM debian:12-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
FROM base
RUN apt-get install -y --no-install-recommends ./vendor/tool_1.2.3_amd64.deb
