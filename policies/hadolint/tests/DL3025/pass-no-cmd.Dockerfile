FROM alpine:3.20
RUN echo "CMD sh -c is fine in text"
