FROM fedora:40
RUN dnf install -y nginx-1.24.0 && dnf clean all
RUN microdnf install -y tar && microdnf clean all
