FROM python:3.12-slim
ARG AWS_SECRET_ACCESS_KEY
ARG GITHUB_TOKEN=
RUN pip install --no-cache-dir awscli==1.33.0
