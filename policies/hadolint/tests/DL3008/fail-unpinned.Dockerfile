FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates=20230311 \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get -y install python3
