FROM golang:1.22 AS build
FROM myregistry.local:5000/tools/runner:latest AS final
COPY --from=build /go/bin /bin
