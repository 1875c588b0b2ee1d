FROM alpine:3.20
COPY --from=busybox:1.36 / /
COPY --chown=1000 --from=0 / /
