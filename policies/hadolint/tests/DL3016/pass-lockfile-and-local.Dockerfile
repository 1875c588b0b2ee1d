FROM node:20
COPY package.json package-lock.json ./
RUN npm ci && npm install && npm install ./vendor/lib ./pkg-1.0.0.tgz
