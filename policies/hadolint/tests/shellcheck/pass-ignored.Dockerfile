FROM debian:12
# hadolint ignore=SC2086,SC2154
RUN echo $x
