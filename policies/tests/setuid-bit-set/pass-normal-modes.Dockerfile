FROM alpine:3.22
RUN chmod 0755 /usr/local/bin/a && chmod -R u+rwX,go-w /srv && chmod +x /entrypoint.sh
RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + || true
RUN chmod 1777 /tmp/shared
COPY --chmod=0555 app /app
