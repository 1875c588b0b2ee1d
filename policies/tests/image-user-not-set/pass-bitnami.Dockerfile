FROM bitnami/redis:7.4
COPY redis.conf /opt/bitnami/redis/mounted-etc/redis.conf
