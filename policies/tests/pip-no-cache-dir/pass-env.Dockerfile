FROM python:3.13-slim
ENV PIP_NO_CACHE_DIR=1
RUN pip install requests
