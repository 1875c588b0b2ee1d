FROM golang:1.24 AS builder
RUN go build -o /out/app .
FROM alpine:3.22
COPY --from=build /out/app /app
COPY --from=5 /out/app /app2
