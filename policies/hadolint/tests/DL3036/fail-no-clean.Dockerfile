FROM opensuse/leap:15.5
RUN zypper install -y nginx
RUN zypper --non-interactive in git && zypper refresh
