FROM alpine:3.22
WORKDIR "/usr/bin/app/"
WORKDIR '/srv/www'
