FROM node:22-slim
ENV DB_PASSWORD=hunter2 \
    NODE_ENV=production \
    stripeApiKey=abc123def456
ENV GITHUB_TOKEN ghp_notreallyatoken
FROM node:22-slim AS second
ARG DEFAULT_SECRET=s3cr3t
ENV SESSION_SECRET=$DEFAULT_SECRET
