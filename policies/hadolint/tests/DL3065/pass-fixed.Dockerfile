FROM --platform=linux/amd64 ubuntu:22.04
