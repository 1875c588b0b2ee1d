FROM debian:bookworm-slim
ARG BUILD_DATE
LABEL org.opencontainers.image.created=$BUILD_DATE
LABEL org.opencontainers.image.created="2021-03-10T10:26:33.564595127+01:00"
LABEL org.opencontainers.image.created=2024-02-29T23:59:60Z
LABEL org.opencontainers.image.created="2024-05-17t09:30:00.5-0700"
