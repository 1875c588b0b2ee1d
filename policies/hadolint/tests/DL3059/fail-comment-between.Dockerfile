FROM alpine:3.20
RUN apk add --no-cache curl
# fetch the tool
RUN curl -fsSLo /usr/local/bin/tool https://example.com/tool
RUN chmod +x /usr/local/bin/tool
