FROM debian:bookworm-slim
COPY pkg.deb /tmp/
RUN apt-get install -y /tmp/pkg.deb ./local.deb && apt-get update && apt install -y curl
RUN apt-get install -y curl/bookworm-backports
