# curl is installed for the HEALTHCHECK: the image needs it at run time.
FROM python:3.13-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
COPY . /app
HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://127.0.0.1:8000/health || exit 1
CMD ["python", "/app/main.py"]
