# syntax=docker/dockerfile:1
FROM corp.example.com/base:1
RUN --mount=type=bind,from=gcr.io/distroless/base:nonroot,source=/etc,target=/mnt ls /mnt
