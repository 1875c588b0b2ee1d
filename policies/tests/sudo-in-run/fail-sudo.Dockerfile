FROM ubuntu:24.04
RUN useradd -m app
USER app
RUN sudo apt-get update && sudo -u root /usr/bin/apt-get install -y curl
