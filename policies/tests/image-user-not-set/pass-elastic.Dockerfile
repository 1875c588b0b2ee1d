# Elastic's images run as elasticsearch (UID 1000).
FROM docker.elastic.co/elasticsearch/elasticsearch:8.15.3
RUN bin/elasticsearch-plugin install --batch analysis-icu
COPY --chown=elasticsearch:root elasticsearch.yml /usr/share/elasticsearch/config/
