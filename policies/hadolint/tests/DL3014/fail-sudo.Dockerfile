FROM ubuntu:22.04
RUN apt-get --no-install-recommends install python3 && sudo apt-get install git
