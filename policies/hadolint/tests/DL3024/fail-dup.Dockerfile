FROM node:20 AS build
RUN npm ci
FROM node:20 AS build
RUN npm run build
