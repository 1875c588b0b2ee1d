# hadolint shell=/bin/bash
FROM debian:12
RUN curl -fsSL https://example.com/x.tar.gz | tar xz
