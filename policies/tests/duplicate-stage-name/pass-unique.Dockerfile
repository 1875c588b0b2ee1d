FROM golang:1.24 AS build-server
FROM node:22 AS build-ui
FROM build-ui AS test-ui
FROM gcr.io/distroless/static-debian12
