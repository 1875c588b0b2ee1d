FROM node:20 AS Context
COPY . /src
FROM node:20-slim
COPY --from=context /src /src
