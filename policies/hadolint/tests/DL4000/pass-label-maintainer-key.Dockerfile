FROM alpine:3.20
LABEL maintainer="ops@example.com"
# MAINTAINER in a comment is fine
