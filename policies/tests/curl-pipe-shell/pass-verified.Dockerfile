FROM ubuntu:24.04
ARG SHA=3f1c9ad1e5cbb9b1c3d0a8f2f4e6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
 && echo "${SHA}  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh
# Piping data (not a program) into an interpreter is fine.
RUN curl -fsSL https://api.example.com/v1/version | python3 -c 'import json,sys; print(json.load(sys.stdin))'
RUN curl -fsSL https://example.com/a.tar.gz | tar -xz -C /opt
RUN wget -qO- https://example.com/data.json | node script.js
