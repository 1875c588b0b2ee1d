FROM alpine:3.22
WORKDIR /src
RUN make -C /src install && git -C /src log -1
RUN ["cd", "/tmp"]
