FROM ubuntu:24.04
RUN apt-get update && apt-get install -y curl && apt-cache policy curl && apt-key list
RUN apt list --installed > /tmp/packages.txt && apt-mark hold curl
