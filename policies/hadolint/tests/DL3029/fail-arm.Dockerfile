FROM --platform=$BUILDPLATFORM golang:1.22 AS build
FROM --platform=linux/arm64/v8 alpine:3.20
COPY --from=build /out /out
