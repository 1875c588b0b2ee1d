FROM node:20
COPY package.json /app
COPY *.json /app
ADD a.tar b.tar /opt
