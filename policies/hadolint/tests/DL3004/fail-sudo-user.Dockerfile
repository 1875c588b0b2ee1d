FROM debian:bookworm-slim
RUN sudo -u nobody touch /tmp/x
