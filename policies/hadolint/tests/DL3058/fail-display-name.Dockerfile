FROM ubuntu:24.04
LABEL maintainer="Jane Doe <jane.doe@example.com>"
RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2ubuntu10 \
    && rm -rf /var/lib/apt/lists/*
