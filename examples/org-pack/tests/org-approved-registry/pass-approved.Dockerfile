ARG BASE=registry.example.com/library/debian:12-slim
FROM ghcr.io/example-org/toolchain:1.4 AS build
RUN make

FROM build AS test
RUN make test

FROM scratch AS assets
COPY static/ /static/

FROM ${BASE}
COPY --from=build /out /app
USER 1000
