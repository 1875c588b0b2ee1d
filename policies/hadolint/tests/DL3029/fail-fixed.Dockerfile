FROM --platform=linux/amd64 node:20
RUN npm ci
