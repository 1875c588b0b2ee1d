FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends foo \
 && apt-get -o Acquire::Retries=3 install -y bar
FROM rockylinux:9
RUN rpm --import https://repo.example.com/key.asc && dnf install -y --setopt=gpgcheck=1 foo
