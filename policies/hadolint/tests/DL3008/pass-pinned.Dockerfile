FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 "git=1:2.39.*" \
 && rm -rf /var/lib/apt/lists/*
