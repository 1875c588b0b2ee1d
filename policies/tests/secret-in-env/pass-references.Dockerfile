FROM python:3.13-slim AS base
# References, file paths, switches and public key ids are not secrets.
ENV DB_PASSWORD_FILE=/run/secrets/db_password \
    API_TOKEN_URL=https://auth.example.com/token \
    GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305 \
    SECRET_KEY_BASE= \
    PASSWORD_AUTH=false \
    DATABASE_URL=postgres://app@db:5432/app \
    REDIS_URL=redis://:${REDIS_PASSWORD}@cache:6379/0 \
    PWD=/app
ARG TOKEN
ENV TOKEN=$TOKEN
FROM base
# Inherited values were reported (or not) in the stage that set them.
ENV PATH=/app/bin:$PATH
