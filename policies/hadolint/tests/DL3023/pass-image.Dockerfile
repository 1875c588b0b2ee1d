FROM alpine:3.20 AS nginx
COPY --from=nginx:1.27 /etc/nginx /etc/nginx
