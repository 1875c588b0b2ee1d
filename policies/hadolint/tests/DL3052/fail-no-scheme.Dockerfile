FROM python:3.12-slim
LABEL org.opencontainers.image.source="github.com/acme/etl" \
      org.opencontainers.image.documentation="https://docs.acme.io/etl"
COPY . /app
CMD ["python", "/app/main.py"]
