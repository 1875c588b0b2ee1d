FROM node:20
COPY package.json package-lock.json /app/
COPY ["a.txt", "b.txt", "/data/"]
