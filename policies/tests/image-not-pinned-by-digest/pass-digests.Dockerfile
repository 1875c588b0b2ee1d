ARG BASE
FROM python:3.13-slim@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1 AS build
FROM build AS test
FROM scratch
FROM ${BASE}
