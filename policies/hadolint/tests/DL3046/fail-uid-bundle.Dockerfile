FROM ubuntu:22.04
RUN groupadd -g 10001 app && useradd -mu 10000001 -g app app
