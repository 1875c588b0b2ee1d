FROM opensuse/leap:15.5
RUN zypper install -y nginx=1.21.5 && zypper clean
RUN zypper -n in "git>=2.43" && zypper clean
