# Alpine has no bash: the advice is BusyBox ash's own pipefail.
FROM alpine:3.22 AS fetch
RUN wget -qO- https://example.com/tool.tgz | tar -xz -C /opt
FROM fetch
RUN apk add --no-cache bash
RUN wget -qO- https://example.com/more.tgz | tar -xz -C /opt
