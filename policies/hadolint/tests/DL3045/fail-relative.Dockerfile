FROM node:20
COPY package.json ./
COPY src app/src
WORKDIR /app
COPY . .
