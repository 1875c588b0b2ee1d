FROM fedora:40
RUN dnf install -y nginx && dnf clean all
RUN microdnf install -y tar gzip && microdnf clean all
