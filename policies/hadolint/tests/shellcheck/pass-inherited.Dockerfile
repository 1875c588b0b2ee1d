FROM debian:12 AS base
ARG name
FROM base
RUN echo "$name"
