FROM alpine:3.22
ARG HOME_DIR=/home/app
WORKDIR /app
WORKDIR ${HOME_DIR}
WORKDIR $UNSET_VARIABLE
FROM mcr.microsoft.com/windows/servercore:ltsc2022
WORKDIR C:\\app
