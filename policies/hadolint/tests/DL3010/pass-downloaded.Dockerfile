FROM alpine:3.20
COPY notes.txt /tmp/
RUN wget -q https://example.com/x.tar.gz -O /tmp/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt
COPY --from=golang:1.22 /usr/local/go.tar.gz /tmp/
