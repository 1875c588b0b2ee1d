FROM debian:12-slim
RUN --network=none --mount=type=cache,target=/var/cache/apt make -C /src
