ARG DB_PASSWORD=changeme
FROM postgres:16.4
