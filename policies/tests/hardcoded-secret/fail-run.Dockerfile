FROM alpine:3.22
RUN git clone https://deploy:glpat-abcdefghij0123456789@gitlab.example.com/team/app.git /src
RUN curl -u admin:hunter2 -fsSLo /tmp/a https://repo.example.com/a
RUN mysql -h db --user=root --password=hunter2 < /schema.sql
RUN API_KEY=abc123 ./configure.sh
LABEL org.example.deploy-key="-----BEGIN OPENSSH PRIVATE KEY-----"
ENTRYPOINT ["app", "--token", "s3cr3t-value"]
