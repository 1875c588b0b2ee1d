# npm install with the words strict-ssl and false installs two packages
# (strict-ssl is a package name); only a config subcommand writes a setting.
FROM node:22-slim
WORKDIR /app
RUN npm install --save strict-ssl false && npm config get strict-ssl
ARG GIT_SSL_NO_VERIFY
RUN git clone https://github.com/example/app.git
