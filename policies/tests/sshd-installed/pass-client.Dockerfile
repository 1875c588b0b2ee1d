FROM alpine:3.22
RUN apk add --no-cache openssh-client git
CMD ["ssh", "-V"]
