FROM debian:bookworm-slim
RUN wget -qO /tmp/key.asc https://example.com/key.asc
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz
RUN tar -xzf /tmp/tool.tgz -C /usr/local/bin
RUN wget -qO /etc/tool.conf https://example.com/tool.conf
