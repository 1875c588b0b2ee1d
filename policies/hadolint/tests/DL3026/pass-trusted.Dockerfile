FROM python:3.12-slim AS build
FROM docker.io/library/alpine:3.20
FROM mirror.corp.example.com/library/node:20
COPY --from=build /usr/local /usr/local
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
RUN --mount=type=bind,from=library/busybox:1.36,target=/bb --mount=type=cache,target=/root/.cache ls /bb
