FROM alpine:3.20
ARG VERSION
# a value from a build argument is decided by the build
LABEL org.opencontainers.image.title="metrics-agent" \
      org.opencontainers.image.version=$VERSION \
      description=""
