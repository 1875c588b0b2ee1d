FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get update
RUN apt-get install -y --no-install-recommends git
RUN rm -rf /var/lib/apt/lists/*
