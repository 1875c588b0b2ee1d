FROM node:22-alpine3.22
FROM gcr.io/distroless/static-debian12
FROM eclipse-temurin:21-jre
FROM ubuntu:24.04
