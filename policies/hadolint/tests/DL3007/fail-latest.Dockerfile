FROM ubuntu:latest
RUN apt-get update
