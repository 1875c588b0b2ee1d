FROM debian:bookworm-slim
RUN apt-get update
WORKDIR /app
RUN make
RUN --mount=type=cache,target=/root/.cache go build ./...
