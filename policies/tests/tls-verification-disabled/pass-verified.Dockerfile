FROM node:22-slim
ENV NODE_TLS_REJECT_UNAUTHORIZED=1 NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp.crt
RUN curl -fsSL -o /tmp/a https://example.com/a && curl -H "x-k: y" -okfile https://example.com/k
RUN npm config set strict-ssl true && git config --global http.sslVerify true
RUN curl -fsSLo /tmp/k https://example.com/k
