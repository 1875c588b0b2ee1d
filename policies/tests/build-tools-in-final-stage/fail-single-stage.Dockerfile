FROM python:3.13-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev make=4.3-4.1 git \
 && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir -r requirements.txt
