FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends vim procps openssh-client \
 && rm -rf /var/lib/apt/lists/*
CMD ["top", "-b"]
