FROM opensuse/leap:15.5
RUN zypper -n install nginx=1.21.5 && zypper clean
