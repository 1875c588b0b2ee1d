# Tags that start like an ended release but are not one: node:18s is not
# Node.js 18, alpine3.1x is not alpine3.1, nginx 1.28 and .NET Framework
# 4.8 are supported.
FROM node:18s AS a
FROM golang:1.26-alpine3.22 AS b
FROM nginx:1.28-alpine AS c
FROM mcr.microsoft.com/dotnet/framework/sdk:4.8 AS d
FROM python:3.13-slim-bookworm AS e
FROM redis:7.4-alpine
