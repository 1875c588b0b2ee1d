FROM node:20 AS deps
FROM node:20 AS build
FROM node:20-slim
