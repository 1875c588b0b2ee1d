FROM rockylinux:8
RUN yum makecache && yum clean all && dnf install nginx
