FROM debian:bookworm-slim
RUN useradd -l -u 123456 -m app
RUN useradd --no-log-init --uid=1000000 worker
