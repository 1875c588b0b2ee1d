# The token is declared again in every stage that uses it: one finding.
FROM node:22-slim AS deps
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
FROM deps AS build
ARG NPM_TOKEN
RUN npm run build
FROM node:22-slim AS test
ARG NPM_TOKEN
ARG NPM_TOKEN
RUN npm test
FROM node:22-slim
ARG NPM_TOKEN
COPY --from=build /app/dist /app
