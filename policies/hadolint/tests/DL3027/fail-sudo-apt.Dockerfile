FROM debian:bookworm
RUN sudo /usr/bin/apt upgrade -y
