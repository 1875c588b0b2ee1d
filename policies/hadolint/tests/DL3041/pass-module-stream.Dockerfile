FROM fedora:39
RUN dnf -y module install postgresql:15/server && dnf clean all
RUN microdnf module install ruby:3.1 && microdnf clean all
