FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
RUN sudo yum -y install git \
 && rm -rf /var/cache/yum
