FROM node:20-alpine
LABEL version="v2"
