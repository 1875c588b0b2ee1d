FROM debian:bookworm-slim
ENV PATH=/opt/app/bin:$PATH LANG=C.UTF-8
