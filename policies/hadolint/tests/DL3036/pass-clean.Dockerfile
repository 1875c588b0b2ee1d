FROM opensuse/leap:15.5
RUN zypper install -y nginx && zypper clean
RUN zypper -n in git && zypper cc -a
