FROM ubuntu:24.04
LABEL maintainer="platform team"
LABEL maintainer=ops@-acme.io
