FROM debian:bookworm-slim
RUN ln -sf /bin/bash /bin/sh
