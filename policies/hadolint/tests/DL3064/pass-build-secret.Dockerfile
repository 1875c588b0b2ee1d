FROM node:20
RUN --mount=type=secret,id=npm_token npm ci
ENV APP_HOME=/app
