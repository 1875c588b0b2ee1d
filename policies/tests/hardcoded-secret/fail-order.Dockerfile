# The first word that gives a credential away names it; a label set by a
# parent stage is reported there, not again in the stage built FROM it.
FROM alpine:3.22 AS base
LABEL dbPassword=hunter2 description="no secret here"
RUN app --password hunter2 ghp_abcdefghijabcdefghijabcdefghij123456
RUN app ghp_abcdefghijabcdefghijabcdefghij123456 --password hunter2
RUN app --secret=$SECRET --password --token=abc
RUN /usr/bin/curl -u admin:hunter2 https://example.com/
RUN BYPASS_CACHE=1 KEYRING=/etc/keys app --secret "$SECRET" --
FROM base
LABEL version=1.0 Auth_Token=abc
