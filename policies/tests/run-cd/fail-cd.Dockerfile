FROM alpine:3.22
RUN cd /src && make && cd -
RUN <<EOS
cd /opt/app
./configure
EOS
