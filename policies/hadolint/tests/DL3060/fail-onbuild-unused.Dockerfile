FROM node:20-alpine AS app-template
ONBUILD COPY package.json yarn.lock ./
ONBUILD RUN yarn install --frozen-lockfile

FROM nginx:1.27-alpine
COPY site /usr/share/nginx/html
