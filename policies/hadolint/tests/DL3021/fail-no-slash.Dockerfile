FROM node:20
COPY package.json package-lock.json /app
COPY --chown=node:node src lib /app/code
