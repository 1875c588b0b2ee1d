FROM debian:bookworm-slim
RUN wget https://example.com/app.tar.gz
RUN wget -O /tmp/go.tgz https://go.dev/dl/go1.22.5.linux-amd64.tar.gz
