FROM golang:1.22-bookworm AS build
RUN go version
FROM build AS test
FROM alpine@sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d
FROM scratch
COPY --from=build /go/bin/app /app
