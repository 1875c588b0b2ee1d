FROM debian:bookworm-slim
ENV APP_HOME=/opt/app
ENV APP_BIN=$APP_HOME/bin PATH=$PATH:/opt/bin
