FROM alpine:3.22
ADD app/ /opt/app/
ADD requirements.txt setup.py /src/
ADD vendor.tar.gz config.json /opt/
ADD <<EOF /etc/motd
hello
EOF
