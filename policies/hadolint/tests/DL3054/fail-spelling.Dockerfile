FROM alpine:3.20
LABEL org.opencontainers.image.licenses="Apache 2.0"
LABEL org.opencontainers.image.licenses=mit
