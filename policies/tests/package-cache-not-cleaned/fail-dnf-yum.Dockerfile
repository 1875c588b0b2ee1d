FROM rockylinux:9
RUN dnf install -y nginx
RUN yum install -y httpd && yum clean metadata
RUN dnf -y groupinstall "Development Tools" && dnf -y update
