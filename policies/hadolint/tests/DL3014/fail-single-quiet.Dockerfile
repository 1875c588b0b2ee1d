FROM debian:bookworm-slim
RUN apt-get update && apt-get install -q --no-install-recommends ca-certificates
RUN apt-get install --quiet --no-install-recommends tzdata
