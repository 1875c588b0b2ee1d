FROM ubuntu:22.04
RUN sudo wget -c https://example.com/data.bin
