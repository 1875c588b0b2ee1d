FROM alpine:3.20
RUN ln -sf /bin/sh /usr/local/bin/sh-compat
