FROM python:3.13
COPY . /app
