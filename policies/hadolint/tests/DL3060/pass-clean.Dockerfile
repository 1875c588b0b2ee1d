FROM node:20
RUN yarn install --frozen-lockfile && yarn cache clean
RUN yarn build && yarn test
