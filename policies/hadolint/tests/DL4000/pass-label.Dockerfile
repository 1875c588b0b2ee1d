FROM debian:bookworm-slim
LABEL org.opencontainers.image.authors="jane@example.com"
