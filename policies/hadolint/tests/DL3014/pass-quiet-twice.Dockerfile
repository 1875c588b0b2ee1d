FROM debian:bookworm-slim
RUN apt-get update && apt-get install --quiet --quiet --no-install-recommends curl
RUN apt-get install -q=2 --no-install-recommends jq && apt-get install --quiet=2 git
