# The image installs gosu for its entrypoint script: the finding says so.
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends gosu ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 999 app
COPY docker-entrypoint.sh /usr/local/bin/
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["app-server"]
