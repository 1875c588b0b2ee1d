FROM opensuse/leap:15.5
RUN zypper install -y nginx && zypper clean
RUN zypper -n in git=2.43.0 curl && zypper clean
