FROM nginx:1.27
ADD nginx.conf /etc/nginx/nginx.conf
ADD ./static /usr/share/nginx/html
