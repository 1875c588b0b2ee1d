FROM alpine:3.20 AS scratch
RUN echo hi > /hi
FROM scratch
COPY --from=scratch /hi /hi
