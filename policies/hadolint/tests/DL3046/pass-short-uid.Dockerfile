FROM debian:bookworm-slim
RUN useradd -u 10001 -m app && useradd worker
