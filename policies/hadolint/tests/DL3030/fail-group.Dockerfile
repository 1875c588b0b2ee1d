FROM rockylinux:8
RUN yum -q groupinstall "Development Tools" && sudo yum localinstall /tmp/x.rpm
