# The final stage is built FROM an earlier one: the finding is at the
# final stage, where the HEALTHCHECK belongs.
FROM node:22-slim AS deps
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev

FROM deps AS runtime
COPY . .
USER node
CMD ["node", "server.js"]
