FROM python:3.12
ONBUILD FROM alpine:3.20
ONBUILD MAINTAINER jane@example.com
ONBUILD COPY . /app
