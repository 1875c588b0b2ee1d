FROM debian:12-slim
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
RUN wget -qO- https://example.com/a | sha256sum && echo done | tee /tmp/log
SHELL ["/bin/bash", "-c"]
RUN cat /etc/os-release | grep VERSION
