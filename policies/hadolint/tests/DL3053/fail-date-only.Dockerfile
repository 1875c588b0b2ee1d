FROM debian:bookworm-slim
LABEL org.opencontainers.image.created="2024-05-17"
