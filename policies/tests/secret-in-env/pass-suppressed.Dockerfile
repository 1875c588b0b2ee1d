FROM postgres:17
# policy ignore=secret-in-env -- a throw-away password for the test database image
ENV POSTGRES_PASSWORD=test
