FROM node:20-alpine
RUN yarn install && yarn build
RUN yarn cache clean
