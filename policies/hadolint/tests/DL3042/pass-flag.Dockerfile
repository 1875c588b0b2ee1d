FROM python:3.12-slim
RUN pip install --no-cache-dir flask==3.0.3
RUN PIP_NO_CACHE_DIR=1 pip install gunicorn==22.0.0
RUN export PIP_NO_CACHE_DIR=true && pip install requests==2.32.3
RUN --mount=type=cache,target=/root/.cache/pip pip install numpy==2.0.0
