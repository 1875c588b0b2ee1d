FROM alpine:3.20
FROM alpine:3.20
FROM build-base:1 AS base
