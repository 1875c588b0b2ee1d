FROM nginx:1.27
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
HEALTHCHECK --interval=5s CMD curl -f http://localhost/health || exit 1
