FROM node:20 AS deps
RUN npm ci
FROM node:20 AS Web
COPY --from=web /app /app
