FROM node:20
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
RUN yarn
