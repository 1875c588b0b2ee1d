# latest (or no tag) is base-image-latest's finding: one finding per problem.
FROM ubuntu:latest AS tools
FROM alpine
RUN echo hello
