FROM debian:bookworm-slim
SHELL ["/bin/sh", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/install.sh | sh
