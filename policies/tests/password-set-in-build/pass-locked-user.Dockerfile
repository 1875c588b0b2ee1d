FROM ubuntu:24.04
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app \
 && passwd -l app
RUN useradd -m -s /bin/bash -u 1000 dev
