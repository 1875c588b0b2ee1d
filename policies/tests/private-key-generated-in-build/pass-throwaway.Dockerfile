# Keys that do not stay: a tmpfs mount, a key removed in the same RUN,
# a key generated in a stage that does not ship, reading a key.
FROM alpine:3.22 AS signer
RUN apk add --no-cache openssl && openssl genrsa -out /tmp/ca.key 2048
FROM nginx:1.29
RUN --mount=type=tmpfs,target=/keys openssl genrsa -out /keys/build.key 2048 \
 && openssl req -new -x509 -key /keys/build.key -subj /CN=build -out /etc/build-ca.crt
RUN openssl req -x509 -newkey rsa:2048 -nodes -keyout /tmp/t.key -out /tmp/t.crt -subj /CN=t \
 && ./sign-assets.sh /tmp/t.key && rm -f /tmp/t.key
RUN ssh-keygen -l -f /etc/ssh/ssh_known_hosts || true
