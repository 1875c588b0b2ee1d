FROM opensuse/leap:15.6
RUN zypper --non-interactive install curl
RUN zypper -n in git && zypper clean --all
