FROM python:3.13-slim
RUN curl -fsSLk https://example.com/a -o /tmp/a
RUN curl --insecure -o /tmp/b https://example.com/b && wget --no-check-certificate https://example.com/c
RUN pip install --trusted-host pypi.internal --index-url http://pypi.internal/simple app
RUN npm config set strict-ssl false && git config --global http.sslVerify false
RUN GIT_SSL_NO_VERIFY=1 git clone https://git.example.com/repo.git
RUN dnf --setopt=sslverify=false install -y x
