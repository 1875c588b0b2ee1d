FROM debian:bookworm-slim AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*

FROM runtime
ARG VCS_REF
LABEL org.opencontainers.image.source=https://github.com/acme/worker \
      org.opencontainers.image.revision=${VCS_REF}
COPY worker /usr/local/bin/worker
CMD ["worker"]
