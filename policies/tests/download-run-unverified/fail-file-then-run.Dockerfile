# Downloaded to a file, then run: no check in between.
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN curl -fsSLo /tmp/get-docker.sh https://get.docker.com \
 && curl -fsSL -o install.sh https://raw.githubusercontent.com/example/tool/master/install.sh \
 && sh install.sh --prefix /usr/local
RUN wget -q https://bootstrap.pypa.io/get-pip.py && python3 get-pip.py && rm get-pip.py
RUN sh /tmp/get-docker.sh
RUN curl -LO https://example.com/setup && chmod +x setup && ./setup --quiet
