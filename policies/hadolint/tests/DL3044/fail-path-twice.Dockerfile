FROM python:3.12-slim
ENV PATH=/opt/venv/bin:$PATH PATH=/root/.local/bin:$PATH
