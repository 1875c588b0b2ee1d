FROM python:3.12 AS base
RUN pip install --no-cache-dir poetry==1.8.3
FROM base
COPY requirements.txt .
