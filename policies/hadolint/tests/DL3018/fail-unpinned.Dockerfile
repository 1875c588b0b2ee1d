FROM alpine:3.20
RUN apk add --no-cache curl bash=5.2.26-r0
RUN apk --no-cache add --virtual .build-deps gcc musl-dev=1.2.5-r0
