FROM alpine:3.22 AS test
CMD ["run-tests"]
FROM alpine:3.22
HEALTHCHECK CMD ["/app", "health"]
ENTRYPOINT ["/app"]
CMD ["serve"]
