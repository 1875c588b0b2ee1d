FROM debian:bookworm-slim
RUN useradd --system app
USER app
RUN echo building
USER root
CMD ["bash"]
