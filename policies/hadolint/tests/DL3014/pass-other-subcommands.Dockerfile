FROM debian:bookworm-slim
RUN apt-get update && apt-get clean && apt install curl
RUN if apt-get install -s "postgresql-16-jit" > /dev/null 2>&1; then echo jit; fi
