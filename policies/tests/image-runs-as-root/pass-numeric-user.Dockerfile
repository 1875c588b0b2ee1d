FROM alpine:3.22
RUN adduser -S -u 10001 app
USER 10001
CMD ["sh"]
