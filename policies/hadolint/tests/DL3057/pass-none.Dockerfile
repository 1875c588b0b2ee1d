FROM alpine:3.20
# a batch job: no service to probe
HEALTHCHECK NONE
CMD ["/usr/local/bin/nightly-report"]
