FROM alpine:3.20
RUN curl -fsSL https://example.com/key | apk add --allow-untrusted - && wget -q https://example.com/x
