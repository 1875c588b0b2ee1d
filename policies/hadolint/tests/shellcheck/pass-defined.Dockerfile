FROM debian:12
ARG VERSION
ENV HOME_DIR=/opt
RUN echo "$VERSION" "$HOME_DIR" "$HTTP_PROXY" "$http_proxy"
RUN ["sh", "-c", "echo $x"]
SHELL ["pwsh", "-c"]
RUN echo $x
