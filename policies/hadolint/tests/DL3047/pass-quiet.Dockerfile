FROM debian:bookworm-slim
RUN wget -nv https://example.com/a && wget --quiet https://example.com/b && wget -o /tmp/log https://example.com/c
