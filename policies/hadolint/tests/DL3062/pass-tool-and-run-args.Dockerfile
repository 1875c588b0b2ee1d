FROM golang:1.23
WORKDIR /src
COPY . .
RUN go install tool golang.org/x/tools/cmd/stringer@v0.27.0
RUN go get -tool github.com/air-verse/air@v1.61.1
RUN go run github.com/swaggo/swag/cmd/swag@v1.16.4 init --dir ./api -g main.go
RUN go run -tags netgo main.go --config /etc/app.yaml
RUN sudo go install mvdan.cc/gofumpt@v0.7.0
