# hadolint global ignore=DL3008
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
# hadolint ignore=DL3002
USER root
