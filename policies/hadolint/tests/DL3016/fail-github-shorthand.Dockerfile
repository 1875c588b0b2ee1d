FROM node:20
RUN npm install --save github:user/other#a1b2c3d express@4.19.2
