FROM opensuse/tumbleweed
RUN zypper refresh && zypper dup -y
RUN sudo zypper --non-interactive dup
