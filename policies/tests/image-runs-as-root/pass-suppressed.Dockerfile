FROM alpine:3.22
# policy ignore=image-runs-as-root -- the entrypoint drops privileges with su-exec
USER root
ENTRYPOINT ["/entrypoint.sh"]
