# Values that are credentials whatever the variable is called.
FROM python:3.13-slim
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    DATABASE_URL=postgres://admin:hunter2@db:5432/app \
    CI_HELPER=ghp_0123456789abcdefghijABCDEFGHIJ012345
