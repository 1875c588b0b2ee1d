# Repositories whose packages are not checked.
FROM debian:12-slim AS d
RUN apt-get -o Acquire::AllowInsecureRepositories=true update \
 && apt-get install -y --no-install-recommends internal-tool
FROM opensuse/leap:15.6 AS s
RUN zypper addrepo --no-gpgcheck https://repo.example.com/leap internal \
 && zypper --non-interactive in internal-tool
FROM centos:7
RUN yum-config-manager --add-repo https://repo.example.com/el7.repo \
 && yum-config-manager --save --setopt=internal.gpgcheck=0 \
 && dpkg -i --force-bad-verify /tmp/tool.deb
