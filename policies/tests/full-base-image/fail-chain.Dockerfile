FROM node:22-bookworm AS base
FROM base
CMD ["node", "server.js"]
