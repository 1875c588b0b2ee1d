FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get install -y -o APT::Install-Recommends=false git
FROM ubuntu:24.04
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/90norecommends
RUN apt-get update && apt-get install -y python3
