FROM alpine:3.20
LABEL license="see LICENSE file"
