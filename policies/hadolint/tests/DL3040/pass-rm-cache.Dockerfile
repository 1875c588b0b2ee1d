FROM fedora:40
RUN dnf -y install gcc && rm -rf /var/cache/dnf
RUN --mount=type=cache,target=/var/cache/dnf dnf -y install make
