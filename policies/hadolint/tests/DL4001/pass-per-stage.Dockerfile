FROM debian:bookworm-slim AS fetch
RUN wget -q https://example.com/a
FROM alpine:3.20
RUN curl -fsSL https://example.com/b -o /b
