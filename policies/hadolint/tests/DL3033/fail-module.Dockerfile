FROM centos:8
RUN yum module enable -y php:7.4 && yum module install -y nodejs && yum clean all
