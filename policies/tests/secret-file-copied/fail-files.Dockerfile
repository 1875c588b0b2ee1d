FROM node:22-slim
COPY .env /app/.env
COPY .npmrc package.json package-lock.json /app/
ADD id_rsa /root/.ssh/id_rsa
COPY certs/server.key certs/server.pem /etc/ssl/private/
COPY --from=build /root/.aws/credentials /root/.aws/credentials
COPY .env.production /app/
