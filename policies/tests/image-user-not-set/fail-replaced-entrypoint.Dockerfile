# postgres starts as root and steps down in its own entrypoint; this one
# replaces it.
FROM postgres:17
COPY init.sql /docker-entrypoint-initdb.d/
COPY start.sh /usr/local/bin/start.sh
ENTRYPOINT ["/usr/local/bin/start.sh"]
