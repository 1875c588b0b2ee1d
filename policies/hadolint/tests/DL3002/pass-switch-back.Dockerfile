FROM debian:bookworm-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER 10001:10001
CMD ["curl", "--version"]
