FROM debian:bookworm-slim
LABEL build-date="last tuesday"
