FROM registry.access.redhat.com/ubi9/ubi
RUN dnf --setopt=install_weak_deps=False install gcc && dnf clean all
