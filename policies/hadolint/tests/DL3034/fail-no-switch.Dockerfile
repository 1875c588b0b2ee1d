FROM opensuse/leap:15.5
RUN zypper install nginx && zypper clean
RUN zypper rm vim
