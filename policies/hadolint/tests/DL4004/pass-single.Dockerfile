FROM redis:7.2
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
