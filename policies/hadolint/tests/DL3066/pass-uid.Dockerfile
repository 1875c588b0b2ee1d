FROM debian:bookworm-slim
RUN useradd -u 10001 app
USER 10001:10001
