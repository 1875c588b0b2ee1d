FROM node:20 AS build
CMD npm test
FROM node:20-slim
ENTRYPOINT /usr/local/bin/start.sh
CMD ["--port", "3000"]
