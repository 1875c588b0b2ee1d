FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json /app/
COPY package.json package-lock.json ./
COPY a.txt b.txt .
COPY index.js /app/server.js
