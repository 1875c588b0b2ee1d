FROM debian:bookworm
RUN echo apt install && ls /etc/apt && apt-key list
