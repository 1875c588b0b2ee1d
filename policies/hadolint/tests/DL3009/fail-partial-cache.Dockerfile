# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y --no-install-recommends git
