FROM debian:bookworm-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN ln -s /usr/bin/python3 /usr/bin/python
