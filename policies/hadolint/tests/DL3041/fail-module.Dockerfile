FROM fedora:39
RUN dnf -y module install postgresql && dnf clean all
RUN microdnf module install ruby && microdnf clean all
