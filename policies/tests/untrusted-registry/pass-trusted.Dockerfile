FROM registry.example.com/base/python:3.13 AS build
FROM mirror.corp.example.net/alpine:3.22 AS tools
FROM python:3.13-slim
COPY --from=build /app /app
COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/busybox
RUN --mount=type=bind,from=tools,target=/tools /tools/bin/true
