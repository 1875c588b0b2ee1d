FROM golang:1.22 AS Builder
FROM golang:1.22 AS builder
FROM alpine:3.20 AS final
FROM alpine:3.20 AS BUILDER
