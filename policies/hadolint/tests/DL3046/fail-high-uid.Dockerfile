FROM debian:bookworm-slim
RUN useradd -u 123456 -m app
RUN useradd --uid=1000000 worker
