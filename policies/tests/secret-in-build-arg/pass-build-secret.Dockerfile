FROM node:22-slim
ARG NODE_VERSION=22 APP_VERSION
ARG TOKEN_URL=https://auth.example.com/token
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
