# A test stage that does not ship may install sudo.
FROM alpine:3.22 AS integration-tests
RUN apk add --no-cache sudo
FROM alpine:3.22
USER 1000
