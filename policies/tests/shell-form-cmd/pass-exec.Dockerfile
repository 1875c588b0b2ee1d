FROM python:3.13-slim AS build
CMD python build.py
FROM python:3.13-slim
ENTRYPOINT ["python", "-m", "app"]
CMD ["--port", "8080"]
