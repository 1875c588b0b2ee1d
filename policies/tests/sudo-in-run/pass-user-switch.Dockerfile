FROM ubuntu:24.04
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
# "sudo" as an argument, a package name containing it, or text mentioning it is fine.
RUN echo "no sudo here" && apt-get install -y sudo-ldap-docs-not-really || true
USER 10001
