FROM debian:bookworm-slim
ADD app-1.2.tar.gz /opt/
RUN tar -czf /tmp/backup.tar.gz /opt
COPY vendor.tar /tmp/
RUN tar --list -f /tmp/vendor.tar
