FROM opensuse/tumbleweed
RUN zypper -n install curl
RUN zypper clean
