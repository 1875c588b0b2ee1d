# Each script is checked before it runs.
FROM python:3.12-slim
ARG GET_PIP_SHA256=6e1b7e1b0c0d7a5b3f0c1e2d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b
RUN curl -fsSLo /tmp/get-pip.py https://bootstrap.pypa.io/pip/24.3.1/get-pip.py \
 && echo "${GET_PIP_SHA256}  /tmp/get-pip.py" | sha256sum -c - \
 && python3 /tmp/get-pip.py && rm /tmp/get-pip.py
RUN curl -fsSLO https://example.com/releases/v1.2.3/install.sh \
 && curl -fsSLO https://example.com/releases/v1.2.3/install.sh.asc \
 && gpg --verify install.sh.asc install.sh \
 && bash install.sh
RUN curl -fsSL https://example.com/data.json -o /tmp/data.json && python3 -m json.tool /tmp/data.json
