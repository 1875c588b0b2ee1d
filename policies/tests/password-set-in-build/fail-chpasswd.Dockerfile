FROM ubuntu:24.04
RUN useradd -m dev && echo 'dev:changeme' | chpasswd
RUN echo "root:toor" | /usr/sbin/chpasswd -c SHA512
