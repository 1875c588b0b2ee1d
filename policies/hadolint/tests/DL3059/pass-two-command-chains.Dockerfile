FROM node:20-alpine
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci; npm cache clean --force
RUN npm run build
RUN node scripts/check.js && node scripts/report.js
