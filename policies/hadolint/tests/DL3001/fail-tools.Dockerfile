FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends nginx && service nginx start
RUN ps aux | grep nginx
RUN sudo vim /etc/hosts
