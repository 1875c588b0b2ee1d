# postgres's own entrypoint steps down to the postgres user.
FROM postgres:17-alpine
COPY init.sql /docker-entrypoint-initdb.d/
ENV POSTGRES_DB=app
