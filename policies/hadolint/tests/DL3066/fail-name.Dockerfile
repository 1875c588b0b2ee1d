FROM node:20
USER node
