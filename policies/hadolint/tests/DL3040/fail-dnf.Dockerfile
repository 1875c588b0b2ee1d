FROM fedora:40
RUN dnf install -y nginx-1.24.0
RUN microdnf install -y tar && dnf clean metadata
