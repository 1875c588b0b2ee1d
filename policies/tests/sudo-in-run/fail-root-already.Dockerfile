# USER root is in force: sudo adds nothing.
FROM python:3.13-slim
RUN useradd --system app
USER app
COPY requirements.txt /tmp/
USER root
RUN sudo pip install --no-cache-dir -r /tmp/requirements.txt
USER app
