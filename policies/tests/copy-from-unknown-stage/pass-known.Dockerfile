ARG TOOLS=example/tools:1.0
FROM golang:1.24 AS builder
FROM alpine:3.22
COPY --from=builder /out/app /app
COPY --from=0 /out/app /app2
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
COPY --from=ghcr.io/example/tools /bin/tool /bin/tool
COPY --from=${TOOLS} /bin/x /bin/x
# policy ignore=copy-from-unknown-stage -- given with --build-context assets=./dist
COPY --from=assets / /srv/www/
