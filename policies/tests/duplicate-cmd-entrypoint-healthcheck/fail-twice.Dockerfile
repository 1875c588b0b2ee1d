FROM alpine:3.22
CMD ["sh"]
HEALTHCHECK CMD true
ENTRYPOINT ["/entrypoint.sh"]
HEALTHCHECK NONE
ENTRYPOINT ["/app"]
CMD ["--help"]
