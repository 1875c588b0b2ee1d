FROM quay.io/prometheus/node-exporter:v1.8.1 AS exporter
FROM registry.corp.example.com/base/debian:12
COPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv
COPY --from=exporter /bin/node_exporter /bin/
