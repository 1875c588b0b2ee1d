FROM python:3.12-slim
WORKDIR /usr/src/app
WORKDIR "/opt/my app"
COPY . .
