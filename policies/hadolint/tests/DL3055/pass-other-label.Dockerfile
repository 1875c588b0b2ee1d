FROM golang:1.22-alpine
LABEL vcs-ref="main"
