FROM ubuntu:22.04
RUN useradd -m dev
USER dev
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends git
