FROM golang:1.24 AS build
RUN go build -o /app .
FROM python:3.13 AS wheels
FROM python:3.13-slim-bookworm AS app
FROM app
COPY --from=build /app /app
