FROM node:20-slim
RUN npm install --global --loglevel warn pnpm@9.12.0 && npm install -g --omit dev typescript@5.6.3
