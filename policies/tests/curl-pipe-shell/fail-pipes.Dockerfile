FROM ubuntu:24.04
RUN curl -fsSL https://get.example.com | sh
RUN wget -qO- https://example.com/install.sh | sudo bash -s -- --prefix=/usr/local
RUN curl -sL https://deb.nodesource.com/setup_22.x | tee /tmp/setup.sh | bash -
RUN curl -sSL https://install.python-poetry.org | python3 -
