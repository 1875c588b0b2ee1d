FROM ubuntu:24.04
RUN sh -c "$(curl -fsSL https://raw.example.com/install.sh)"
RUN bash <(wget -qO- https://example.com/setup.sh)
