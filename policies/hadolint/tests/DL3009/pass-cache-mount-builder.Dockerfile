# syntax=docker/dockerfile:1
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gcc
FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt/lists \
    apt-get update && apt-get install -y --no-install-recommends curl
