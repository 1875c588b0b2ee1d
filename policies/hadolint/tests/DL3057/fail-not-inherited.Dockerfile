FROM python:3.12-slim AS base
HEALTHCHECK --interval=30s CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"

FROM python:3.12-slim AS worker
COPY worker.py /app/worker.py
CMD ["python", "/app/worker.py"]

FROM base AS api
COPY api.py /app/api.py
CMD ["python", "/app/api.py"]
