FROM ubuntu:24.04
RUN apt update && apt install -y curl
RUN sudo apt -y full-upgrade
