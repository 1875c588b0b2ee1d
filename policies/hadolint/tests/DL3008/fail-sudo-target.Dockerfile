FROM ubuntu:22.04
RUN sudo apt-get install -y -t jammy-backports git
