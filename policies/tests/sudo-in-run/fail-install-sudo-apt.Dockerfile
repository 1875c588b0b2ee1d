FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates sudo=1.9.13p3-1+deb12u1 \
 && rm -rf /var/lib/apt/lists/*
