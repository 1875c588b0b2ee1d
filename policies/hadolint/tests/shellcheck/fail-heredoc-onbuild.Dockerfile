FROM debian:12
RUN <<EOF
set -e
echo $x
EOF
ONBUILD RUN echo `date`
RUN apt-get update \
    && cd $dir
