FROM debian:bookworm-slim AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -qO- https://example.com/a | tar -xz
FROM base
RUN wget -qO- https://example.com/b | tar -xz
SHELL ["/bin/sh", "-c"]
