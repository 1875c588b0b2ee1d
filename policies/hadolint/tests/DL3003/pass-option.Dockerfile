FROM debian:bookworm-slim
RUN make -C /usr/src/lib install && git -C /repo pull && echo "cd is fine in text"
