# Reported in the stage that sets the variable, not in the stages that
# inherit it; an ARG declared without a value turns nothing off, but
# GIT_SSL_NO_VERIFY set to the empty string does.
FROM node:22-slim AS base
ENV NODE_TLS_REJECT_UNAUTHORIZED=0
FROM base
ENV NODE_ENV=production
ARG PYTHONHTTPSVERIFY
ARG GIT_SSL_NO_VERIFY=
