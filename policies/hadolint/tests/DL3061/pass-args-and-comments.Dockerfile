# syntax=docker/dockerfile:1
# Build arguments may come before FROM, and so may comments.
ARG BASE=debian
ARG TAG=bookworm-slim

# hadolint ignore=DL3008
FROM ${BASE}:${TAG}
ENV LANG=C.UTF-8
