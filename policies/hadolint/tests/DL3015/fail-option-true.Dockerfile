FROM ubuntu:22.04
RUN apt-get install -y -o APT::Install-Recommends=true python3
RUN apt-get -y install git
