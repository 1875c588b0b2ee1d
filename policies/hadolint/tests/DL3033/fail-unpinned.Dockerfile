FROM centos:7
RUN yum install -y httpd && yum clean all
RUN yum -y install git-2.39.3 vim && yum clean all
