FROM node:20-alpine
CMD ["npm", "test"]
COPY . /app
CMD ["node", "server.js"]
