FROM alpine:3.20
LABEL org.opencontainers.image.licenses="Apache-2.0"
LABEL org.opencontainers.image.licenses=GPL-3.0-or-later
# deprecated identifiers are still identifiers
LABEL org.opencontainers.image.licenses=GPL-2.0
