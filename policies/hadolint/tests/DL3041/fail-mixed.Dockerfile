FROM rockylinux:9
RUN dnf install -y gcc-11.4.1 make && dnf clean all
