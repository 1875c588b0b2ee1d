FROM node:22-slim
COPY .env.example /app/.env
COPY package.json package-lock.json /app/
COPY id_rsa.pub /root/.ssh/authorized_keys
COPY keys.md /docs/
ADD https://example.com/ca.pem /usr/local/share/ca-certificates/ca.crt
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
