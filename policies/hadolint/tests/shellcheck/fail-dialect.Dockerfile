FROM debian:12
SHELL ["/bin/bash", "-c"]
RUN [[ $v == 1 ]] && echo "${arr[@]}"
SHELL ["/bin/sh", "-c"]
RUN [[ $v == 1 ]]
