ARG PY=3.12
FROM python:${PY}-bookworm AS app
COPY . /app
FROM app
CMD ["python", "/app/main.py"]
