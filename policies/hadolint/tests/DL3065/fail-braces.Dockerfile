FROM --platform=$BUILDPLATFORM golang:1.22 AS build
RUN go build -o /app .
FROM --platform=${TARGETPLATFORM} gcr.io/distroless/static
COPY --from=build /app /app
