FROM alpine:3.22
RUN --mount=type=secret,id=git_token,env=GIT_TOKEN \
    git clone https://oauth2:${GIT_TOKEN}@gitlab.example.com/team/app.git /src
RUN mysql -h db --user=root --password="$(cat /run/secrets/db)" < /schema.sql
RUN curl -u "$REPO_USER:$REPO_PASSWORD" -fsSLo /tmp/a https://repo.example.com/a
LABEL org.opencontainers.image.source="https://github.com/example/app" maintainer-key-id=ABCDEF12
ENTRYPOINT ["app", "--token-file", "/run/secrets/token"]
