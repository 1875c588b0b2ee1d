# No USER at all: the base image's user decides (image-user-not-set).
FROM python:3.13-slim
COPY app.py /app.py
CMD ["python", "/app.py"]
