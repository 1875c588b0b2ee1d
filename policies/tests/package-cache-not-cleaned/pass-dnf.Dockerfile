FROM rockylinux:9 AS build
# A build stage that does not ship may keep its cache.
RUN dnf install -y gcc
FROM rockylinux:9
RUN dnf install -y nginx && dnf clean all
RUN yum install -y httpd && yum clean all && rm -rf /var/cache/yum
RUN dnf install -y git && rm -rf /var/cache/dnf
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y jq
RUN dnf install -y make && yum clean all
