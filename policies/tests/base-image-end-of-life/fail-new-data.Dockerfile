# End-of-life releases in tags of every kind.
FROM golang:1.21-alpine3.13 AS build
FROM mcr.microsoft.com/dotnet/sdk:6.0 AS dotnet
FROM nginx:1.25.3-alpine AS web
FROM redis:5.0.14 AS cache
FROM node:16-bullseye-slim AS assets
FROM python:3.12-slim-buster AS tools
FROM ubuntu:21.10
