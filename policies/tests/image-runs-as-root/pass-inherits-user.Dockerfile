FROM alpine:3.22 AS base
USER app
FROM base
CMD ["sh"]
