FROM centos:7
RUN yum install -y httpd-2.4.6 git-2.39.3-1.el7 && yum clean all
RUN yum install -y https://example.com/pkg/tool-1.0.rpm && yum clean all
