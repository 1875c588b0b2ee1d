FROM node:22-slim
ENV NODE_TLS_REJECT_UNAUTHORIZED=0 \
    NODE_ENV=production
FROM python:3.13-slim
ENV PYTHONHTTPSVERIFY 0
RUN export PIP_TRUSTED_HOST=pypi.internal && pip install app
