# The first pipe of the RUN is harmless; the second hides curl's failure.
FROM ubuntu:24.04
RUN echo "deb http://archive.ubuntu.com/ubuntu noble universe" | tee /etc/apt/sources.list.d/extra.list \
 && curl -fsSL https://example.com/release.tgz | tar -xz -C /opt
