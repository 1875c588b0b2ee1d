FROM alpine:3.22
RUN chmod u+s /usr/local/bin/helper
RUN chmod 4755 /usr/local/bin/a && chmod -R g+s,o-w /srv/shared && chmod 06755 /bin/b
RUN install -m 4755 helper /usr/local/bin/helper2
COPY --chmod=2755 tool /usr/local/bin/tool
