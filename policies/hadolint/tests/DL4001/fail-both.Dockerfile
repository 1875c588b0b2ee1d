FROM debian:bookworm-slim
RUN wget -q https://example.com/a.tgz
RUN curl -fsSLo /tmp/b.tgz https://example.com/b.tgz
