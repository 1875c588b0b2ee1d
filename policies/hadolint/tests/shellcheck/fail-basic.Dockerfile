FROM debian:12
RUN echo $x
  RUN --mount=type=cache,target=/root/.cache ls $dir
