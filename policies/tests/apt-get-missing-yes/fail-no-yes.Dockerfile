FROM debian:12-slim
RUN apt-get update && apt-get install --no-install-recommends curl
RUN apt-get -q install git && apt-get purge -o Dpkg::Options::=--force-confold vim
RUN sudo apt-get -t bookworm-backports install golang
