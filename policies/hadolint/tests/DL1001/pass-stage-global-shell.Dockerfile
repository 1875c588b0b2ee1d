# hadolint global ignore=DL3006
# hadolint shell=powershell
# hadolint stage ignore=DL3003
FROM mcr.microsoft.com/windows/servercore:ltsc2022
# policy ignore=DL3003 -- libpolicy's own comment is not hadolint's pragma
RUN cd C:\\tmp
