ARG BASE=node:22-slim
FROM ${BASE}
ARG NPM_TOKEN
ARG DB_PASSWORD=changeme SENTRY_DSN_TOKEN
ARG HELPER=AKIAIOSFODNN7EXAMPLE
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
