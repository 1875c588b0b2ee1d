# apt-mark manual keeps git on purpose: it stays in the image.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git gcc libc6-dev \
 && apt-mark auto '.*' > /dev/null \
 && apt-mark manual git \
 && apt-get purge -y --auto-remove \
 && rm -rf /var/lib/apt/lists/*
