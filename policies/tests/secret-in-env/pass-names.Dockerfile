# Names that hold PASS, KEY or TOKEN without being a secret's name.
FROM alpine:3.22
ENV BYPASS_CACHE=1 KEYRING=/etc/apt/keyrings TOKEN_URL=https://auth.example.com \
    MONKEY=banana PASSWORD_FILE=/run/secrets/pw API_KEY_ID=abc
