FROM node:20
WORKDIR /src
COPY . .
RUN npm ci && npm run build
