FROM alpine:3.22
LABEL org.opencontainers.image.authors="jane@example.com"
