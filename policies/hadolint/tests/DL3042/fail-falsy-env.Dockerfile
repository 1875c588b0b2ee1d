FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=off
RUN pip3 install requests==2.32.3
RUN PIP_NO_CACHE_DIR=0 pip install gunicorn==22.0.0
