FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
LABEL org.opencontainers.image.source="https://github.com/acme/reports"
USER 10001
CMD ["gunicorn", "reports.wsgi"]
