FROM debian:12-slim
RUN bash -o pipefail -c 'curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local'
RUN set -euo pipefail; curl -fsSL https://example.com/b.tgz | tar -xz -C /opt
