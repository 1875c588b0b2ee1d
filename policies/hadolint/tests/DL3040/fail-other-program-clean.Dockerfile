FROM registry.access.redhat.com/ubi9/ubi-minimal
RUN microdnf install -y dnf && dnf install -y httpd-2.4.57 && microdnf clean all
