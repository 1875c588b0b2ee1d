FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
COPY setup.ps1 C:\tools\setup.ps1
COPY config.json c:/ProgramData/app/config.json

FROM alpine:3.20
ARG APP_HOME
ENV CONF_DIR=/etc/app
COPY app.conf "$CONF_DIR"
COPY entrypoint.sh ${APP_HOME}
