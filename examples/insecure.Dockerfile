# An example of what not to do: every line here is a finding.
FROM ubuntu:latest

# Secrets baked into the image: anyone who pulls it can read them.
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
    DATABASE_URL=postgres://admin:hunter2@db:5432/app

# Packages installed as root, with recommended extras and the apt lists left behind.
RUN apt-get update && apt-get install -y curl build-essential git python3 python3-pip sudo
RUN curl -fsSL https://example.com/install.sh | bash

ADD https://example.com/app.tar.gz /opt/
COPY . /app
WORKDIR /app
RUN pip3 install -r requirements.txt

EXPOSE 22 8000
# No USER: the container runs as root. No HEALTHCHECK.
CMD python3 /app/server.py
