# Two apk add in one RUN: one finding, at the first.
FROM alpine:3.22
RUN apk add ca-certificates \
 && apk add --virtual .run-deps tzdata libstdc++
