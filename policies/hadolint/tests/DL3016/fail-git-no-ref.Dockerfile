FROM node:20
RUN npm install git+https://github.com/user/repo.git @types/node
