FROM alpine:3.22 AS build
FROM alpine:3.22 AS base
HEALTHCHECK --interval=30s CMD ["/app/healthcheck"]
FROM base
USER 1000
