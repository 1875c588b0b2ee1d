# The build stage pulls from Docker Hub; the final stage is approved.
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM registry.example.com/library/alpine:3.20
COPY --from=build /app /app
USER 1000
ENTRYPOINT ["/app"]
