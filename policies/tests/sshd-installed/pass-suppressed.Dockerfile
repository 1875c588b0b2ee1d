FROM alpine:3.22
# policy ignore=sshd-installed -- this image is the SSH bastion
RUN apk add --no-cache openssh-server
