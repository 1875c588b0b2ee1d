ARG VERSION=3.12
FROM python:${VERSION}-slim AS build
FROM build
FROM alpine@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1
FROM scratch
