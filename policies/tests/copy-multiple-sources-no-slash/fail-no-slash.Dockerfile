FROM node:22-slim
COPY package.json package-lock.json /app
ADD a.txt b.txt /data
