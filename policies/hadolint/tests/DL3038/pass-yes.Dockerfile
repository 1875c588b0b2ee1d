FROM fedora:40
RUN dnf install -y nginx-1.24.0 && dnf clean all
RUN dnf --assumeyes install git && microdnf -y install tar
