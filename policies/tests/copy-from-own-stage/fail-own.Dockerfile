FROM golang:1.24 AS build
COPY --from=build /src /src
FROM alpine:3.22
COPY --from=1 /etc/os-release /tmp/
