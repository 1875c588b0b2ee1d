FROM debian:12-slim
RUN apt-get update && apt-get install -y curl
RUN apt-get install --yes git && apt-get -qq install vim && apt-get -q=2 install less
RUN apt-get --assume-yes -o Dpkg::Options::=--force-confold install make
RUN apt-get -o APT::Get::Assume-Yes=true install zip && yes | apt-get install unzip
RUN apt-get -yq --no-install-recommends install jq
RUN ["apt-get", "install", "-y", "tar"]
RUN apt-get update && apt-cache policy curl
