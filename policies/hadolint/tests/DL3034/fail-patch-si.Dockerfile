FROM opensuse/leap:15.5
RUN zypper refresh && zypper patch
RUN zypper si nginx
