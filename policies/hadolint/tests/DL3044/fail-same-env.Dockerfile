FROM debian:bookworm-slim
ENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin
