# The stage the final one is built on ships too.
FROM debian:12-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
FROM base
USER 1000
