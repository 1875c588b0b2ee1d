FROM debian:12-slim
RUN apt-get update
CMD ["bash"]
