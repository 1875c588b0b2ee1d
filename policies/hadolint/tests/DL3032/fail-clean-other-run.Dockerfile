FROM amazonlinux:2
RUN yum install -y shadow-utils
RUN yum clean all
