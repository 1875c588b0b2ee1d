FROM debian:bookworm AS build
RUN make
FROM scratch
COPY --from=build / /
