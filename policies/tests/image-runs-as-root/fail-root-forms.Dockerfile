# The last USER of the final stage decides; root by name, by UID, with a group.
FROM alpine:3.22 AS build
USER 1000
FROM alpine:3.22
USER 1000
RUN echo hello
USER 0:0
