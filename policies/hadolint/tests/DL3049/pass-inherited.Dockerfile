FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/api ./cmd/api

FROM gcr.io/distroless/static-debian12 AS base
LABEL org.opencontainers.image.source="https://github.com/acme/api" \
      org.opencontainers.image.revision="43c572f1272b6b3171dd1db9e41b7027128ce080"

FROM base
COPY --from=build /out/api /api
USER 65532
ENTRYPOINT ["/api"]
