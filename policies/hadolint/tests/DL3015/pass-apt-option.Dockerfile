FROM ubuntu:22.04
RUN apt-get install -y -o APT::Install-Recommends=false python3 && apt-get update
