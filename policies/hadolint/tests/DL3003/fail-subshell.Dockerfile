FROM alpine:3.20
RUN (cd /tmp && wget -q https://example.com/a.tar.gz) && tar -xzf /tmp/a.tar.gz
