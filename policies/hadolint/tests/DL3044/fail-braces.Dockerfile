FROM node:20
ENV NODE_VERSION=20.15.0 \
    NODE_URL=https://nodejs.org/dist/v${NODE_VERSION}/node.tar.gz
