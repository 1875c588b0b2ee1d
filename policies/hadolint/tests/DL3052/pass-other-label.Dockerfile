FROM node:20-alpine
LABEL homepage="acme.io"
