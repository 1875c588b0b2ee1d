FROM alpine:3.20
RUN apk add --no-cache openssh-client \
 && ssh -o StrictHostKeyChecking=no git@example.com true ; top -n 1
