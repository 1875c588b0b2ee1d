FROM golang:1.22-alpine
LABEL org.opencontainers.image.revision=2dbfae91
LABEL org.opencontainers.image.revision="43C572F1272B6B3171DD1DB9E41B7027128CE080"
