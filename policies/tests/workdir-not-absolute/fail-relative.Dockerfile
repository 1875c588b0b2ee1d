FROM alpine:3.22
WORKDIR app
ARG SUB=src
WORKDIR ${SUB}/lib
