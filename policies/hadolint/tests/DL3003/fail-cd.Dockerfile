FROM node:20
COPY . /src
RUN cd /src && npm ci && npm run build
RUN git clone https://example.com/x.git /x; cd /x; make
