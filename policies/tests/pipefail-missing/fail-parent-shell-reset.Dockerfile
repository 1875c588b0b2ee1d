FROM debian:12-slim AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/a | tar -x
SHELL ["/bin/sh", "-c"]
FROM base
RUN curl -fsSL https://example.com/b | tar -x
