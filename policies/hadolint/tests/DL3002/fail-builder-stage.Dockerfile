FROM alpine:3.20 AS base
USER 0:0
RUN apk add --no-cache ca-certificates

FROM base
COPY app /app
CMD ["/app"]
