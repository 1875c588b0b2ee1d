FROM node:20 AS build
USER root
RUN npm ci
USER node
FROM node:20-slim
USER rootless:root
