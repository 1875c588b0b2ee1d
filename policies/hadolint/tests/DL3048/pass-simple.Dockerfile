FROM alpine:3.20
LABEL maintainer="ops@example.com" version="1.0" com.example.tier2="web"
