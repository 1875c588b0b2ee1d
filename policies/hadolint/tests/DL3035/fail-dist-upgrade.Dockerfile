FROM opensuse/leap:15.5
RUN zypper -n dist-upgrade && zypper clean
