FROM registry.access.redhat.com/ubi9/ubi-minimal
RUN microdnf clean packages && microdnf install -y shadow-utils
