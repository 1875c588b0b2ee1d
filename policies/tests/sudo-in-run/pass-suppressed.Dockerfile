FROM ubuntu:24.04
# policy ignore=sudo-in-run -- a dev container where the user needs sudo
RUN apt-get update && apt-get install -y sudo
