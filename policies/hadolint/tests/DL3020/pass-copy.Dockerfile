FROM nginx:1.27
COPY nginx.conf /etc/nginx/nginx.conf
ADD https://github.com/moby/buildkit.git#v0.13.0 /src
