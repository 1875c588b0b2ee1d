FROM opensuse/leap:15.5
RUN zypper -n install nginx && zypper clean
RUN zypper --non-interactive rm vim && zypper install -y git && zypper in --no-confirm curl
