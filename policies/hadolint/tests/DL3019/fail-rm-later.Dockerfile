FROM alpine:3.20
RUN apk add --update git && rm -rf /var/cache/apk/*
RUN sudo apk add bash
