# An integration-test stage may run an SSH server; it does not ship.
FROM alpine:3.22 AS sshd-tests
RUN apk add --no-cache openssh-server
CMD ["/usr/sbin/sshd", "-D"]
FROM alpine:3.22
USER 1000
CMD ["/app"]
