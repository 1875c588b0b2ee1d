# A self-signed certificate and SSH host keys baked into the image.
FROM nginx:1.29
RUN openssl req -x509 -nodes -days 365 -newkey rsa:2048 \
      -subj "/CN=localhost" \
      -keyout /etc/nginx/tls.key -out /etc/nginx/tls.crt
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \
 && ssh-keygen -A && rm -rf /var/lib/apt/lists/*
RUN openssl genrsa -out /srv/jwt-signing.pem 4096
