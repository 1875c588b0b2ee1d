FROM ubuntu:22.04
RUN apt-get -q install python3 && sudo apt-get install git
