#!/usr/bin/env python3
"""blocks.py DIR N...: writes DIR/N.Dockerfile for each N, a Dockerfile of
N copies of one block of real-world instructions (the block of
tests/unit/test_scaling.c), each stage built from the one before."""
import os
import sys

BLOCK = """FROM {base} AS build{i}
ARG VERSION{i}=1.2.{i}
ENV APP_HOME=/srv/app{i} PATH=/srv/app{i}/bin:$PATH
LABEL org.opencontainers.image.version="${{VERSION{i}}}" stage="{i}"
WORKDIR /srv/app{i}
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
&& curl -fsSL https://example.com/tool{i}.tgz | tar -xz -C /usr/local \
&& echo "$VERSION{i}" | tee /etc/app-version && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir flask==2.{i} && useradd -r app{i}
COPY --from={prev} /srv/app/bin /usr/local/bin/
COPY requirements.txt ./
EXPOSE 80{i:02d}/tcp
USER app{i}
HEALTHCHECK --interval=30s CMD curl -fs http://localhost:80{i:02d}/health || exit 1
CMD ["app", "--port", "80{i:02d}"]
"""


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for n in map(int, sys.argv[2:]):
        with open(os.path.join(out, "%d.Dockerfile" % n), "w") as f:
            for i in range(n):
                prev = "build%d" % (i - 1) if i else "alpine:3.20"
                f.write(BLOCK.format(base="debian:12-slim", i=i, prev=prev))


main()
