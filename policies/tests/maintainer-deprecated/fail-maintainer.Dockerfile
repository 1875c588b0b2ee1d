FROM alpine:3.22
MAINTAINER Jane Doe <jane@example.com>
