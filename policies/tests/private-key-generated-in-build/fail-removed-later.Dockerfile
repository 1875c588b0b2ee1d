# A key removed by a later RUN is still in the layer that made it.
FROM nginx:1.29
RUN openssl genrsa -out /etc/nginx/tls.key 2048
RUN rm -f /etc/nginx/tls.key
