# hadolint shell=powershell
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN $ProgressPreference = 'SilentlyContinue'; Invoke-WebRequest -Uri $env:TOOL_URL -OutFile tool.zip
RUN Expand-Archive tool.zip -DestinationPath C:\tools; Remove-Item tool.zip
