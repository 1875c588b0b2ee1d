FROM debian:bookworm-slim
RUN apt-get update && apt-get clean && apt install curl
