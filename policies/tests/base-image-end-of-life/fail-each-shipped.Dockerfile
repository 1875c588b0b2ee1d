FROM alpine:3.16
