FROM alpine:3.22
RUN apk add --no-cache --virtual .build-deps gcc musl-dev make \
 && make -C /src install \
 && apk del .build-deps
RUN apt-get install -y gcc && apt-get purge -y gcc
RUN pip install --no-cache-dir wget
