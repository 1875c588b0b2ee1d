FROM debian:12-slim
# hadolint ignore=DL3014
RUN apt-get install curl
RUN if apt-get install -s "postgresql-17-jit" > /dev/null 2>&1; then echo ok; fi
