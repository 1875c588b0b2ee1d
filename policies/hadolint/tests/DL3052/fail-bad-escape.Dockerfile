FROM python:3.12-slim
LABEL org.opencontainers.image.source="https://github.com/acme/etl" \
      org.opencontainers.image.documentation="https://docs.acme.io/etl/100%/guide"
LABEL org.opencontainers.image.documentation="https://docs.acme.io:http/etl"
