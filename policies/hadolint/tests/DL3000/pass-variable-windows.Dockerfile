FROM mcr.microsoft.com/windows/servercore:ltsc2022
ARG APP_HOME=/srv
WORKDIR $APP_HOME
WORKDIR ${APP_HOME}/data
WORKDIR C:\\app
WORKDIR c:/tools
