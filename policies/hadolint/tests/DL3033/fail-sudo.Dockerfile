FROM amazonlinux:2
RUN sudo yum install -y shadow-utils && yum clean all
