FROM alpine:3.20
# hadolint ignore=DL3018,DL3019
RUN apk add curl
