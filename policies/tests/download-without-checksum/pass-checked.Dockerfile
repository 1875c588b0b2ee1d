FROM debian:12-slim
ARG KUBECTL_VERSION=v1.31.3
RUN curl -fsSLo /tmp/kubectl "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
 && curl -fsSLo /tmp/kubectl.sha256 "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl.sha256" \
 && echo "$(cat /tmp/kubectl.sha256)  /tmp/kubectl" | sha256sum -c - \
 && install -m 0755 /tmp/kubectl /usr/local/bin/kubectl
RUN curl -fsSLo /tmp/app.tar.gz https://example.com/app-1.0.tar.gz \
 && tar -xzf /tmp/app.tar.gz -C /opt
RUN curl -fsSL https://example.com/config.yaml -o /etc/app/config.yaml
