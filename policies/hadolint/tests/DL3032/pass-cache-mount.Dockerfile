FROM rockylinux:9
RUN --mount=type=cache,target=/var/cache/yum yum install -y tar
RUN yum makecache
