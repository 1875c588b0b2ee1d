FROM debian:bookworm-slim
LABEL org.opencontainers.image.created="2024-05-17T09:30:00"
RUN useradd -r app
LABEL org.opencontainers.image.created="2023-02-29T09:30:00Z"
USER app
