FROM debian:12-slim
RUN curl -fsSL -o /usr/local/bin/docker-compose \
      https://github.com/docker/compose/releases/latest/download/docker-compose-linux-x86_64 \
 && chmod +x /usr/local/bin/docker-compose
RUN wget -q https://dl.k8s.io/release/v1.31.3/bin/linux/amd64/kubectl \
 && chmod 755 kubectl && mv kubectl /usr/local/bin/
RUN curl -fsSLo /tmp/helm.tgz https://get.helm.sh/helm-v3.16.3-linux-amd64.tar.gz \
 && tar -xzf /tmp/helm.tgz -C /usr/local/bin --strip-components=1 linux-amd64/helm
