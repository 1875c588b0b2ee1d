FROM alpine:3.20
LABEL com.docker.compose.project="app"
LABEL org.example..name="x"
