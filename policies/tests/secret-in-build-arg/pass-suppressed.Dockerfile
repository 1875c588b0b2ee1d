FROM node:22-slim
# policy ignore=secret-in-build-arg -- a public, read-only token for the mirror
ARG MIRROR_TOKEN=public-read-only
# hadolint ignore=DL3064
ARG GITHUB_TOKEN
