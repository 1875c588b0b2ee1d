FROM debian:bookworm-slim
RUN useradd -u 10001 app
USER app:app
USER 10001:app
