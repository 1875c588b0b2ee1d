FROM debian:12-slim AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN curl -fsSL https://example.com/a | tar -x
FROM base
RUN curl -fsSL https://example.com/b | tar -x
FROM alpine:3.22
RUN set -eo pipefail && wget -qO- https://example.com/c | tar -x
RUN echo no pipe here && ls /
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN Get-ChildItem | Select-Object Name
