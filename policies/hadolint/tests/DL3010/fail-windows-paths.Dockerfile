FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY dist\agent\agent-2.1.tar.gz "C:\Program Files\Agent"
RUN tar -xf "C:\Program Files\Agent\agent-2.1.tar.gz" -C "C:\Program Files\Agent"
COPY dist\cli.tar.gz C:\tools\cli-bundle.tar.gz
RUN tar -xf cli-bundle.tar.gz
