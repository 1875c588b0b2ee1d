FROM alpine:3.22
ADD https://example.com/tool-1.2.3.tar.gz /tmp/
ADD http://example.com/script.sh /usr/local/bin/script.sh
ADD https://github.com/example/repo.git#main /src
