# The labels were written above the base image by mistake.
LABEL org.opencontainers.image.title="web"
ARG RELEASE=3.20
FROM alpine:${RELEASE}
RUN apk add --no-cache nginx=1.26.3-r0
