FROM debian:bookworm-slim
RUN wget --progress=dot:giga https://example.com/app.tar.gz
RUN wget -qO- https://example.com/install.sh > /tmp/i.sh
