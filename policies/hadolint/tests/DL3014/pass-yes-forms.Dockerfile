FROM debian:bookworm-slim
RUN apt-get install -y curl && apt-get --yes install git && apt-get install --assume-yes vim
RUN apt-get -qq install wget && apt-get install -qy make && apt-get -q -q install gcc
