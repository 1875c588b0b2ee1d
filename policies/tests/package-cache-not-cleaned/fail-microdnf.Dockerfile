FROM registry.access.redhat.com/ubi9/ubi-minimal:9.5 AS base
RUN microdnf install -y tar
FROM base
USER 1001
