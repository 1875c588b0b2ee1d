FROM opensuse/tumbleweed
RUN sudo zypper --non-interactive install python3 && zypper clean
