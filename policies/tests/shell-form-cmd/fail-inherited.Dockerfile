FROM python:3.13-slim AS base
CMD gunicorn app:app
FROM base
USER 1000
