FROM opensuse/leap:15.5
RUN zypper -n install /tmp/tool-1.0.x86_64.rpm && zypper clean
