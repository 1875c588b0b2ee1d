FROM centos:7
RUN yum install -y httpd-2.4.6 && yum update -y
RUN yum -y install git
