FROM fedora:40
RUN dnf install nginx-1.24.0 && dnf clean all
RUN microdnf install tar && microdnf clean all
