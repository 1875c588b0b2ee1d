FROM alpine:3.20
LABEL Maintainer="ops@example.com" version_tag="1.0"
