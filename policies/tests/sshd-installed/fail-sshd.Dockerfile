FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D"]
