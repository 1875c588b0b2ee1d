FROM centos:7
RUN yum update -y && yum remove -y vim && yum clean all
