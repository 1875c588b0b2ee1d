FROM debian:bookworm-slim AS python-base
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends python3
RUN apt-get update && apt-get install -y --no-install-recommends make

FROM gcr.io/distroless/static-debian12
COPY app /app
