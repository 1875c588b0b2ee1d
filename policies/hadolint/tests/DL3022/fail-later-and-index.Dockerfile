FROM alpine:3.20 AS first
COPY --from=second /x /x
COPY --from=3 /y /y
FROM alpine:3.20 AS second
RUN touch /x
