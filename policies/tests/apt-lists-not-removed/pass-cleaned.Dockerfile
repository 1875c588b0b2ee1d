FROM debian:12-slim AS build
# A build stage that does not ship may keep its lists.
RUN apt-get update && apt-get install -y --no-install-recommends gcc
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y --no-install-recommends git
RUN apt-get update && apt-get install -y --no-install-recommends jq && apt-get dist-clean
