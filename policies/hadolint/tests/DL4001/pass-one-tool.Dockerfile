FROM debian:bookworm-slim
RUN curl -fsSLo /tmp/a https://example.com/a
RUN curl -fsSLo /tmp/b https://example.com/b
