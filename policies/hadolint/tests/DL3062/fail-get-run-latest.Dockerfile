FROM golang:1.23 AS tools
RUN go get -d github.com/spf13/cobra
RUN go run github.com/swaggo/swag/cmd/swag@latest init --dir ./api
RUN CGO_ENABLED=0 go install -ldflags "-s -w" honnef.co/go/tools/cmd/staticcheck@upgrade
RUN go get -tool github.com/air-verse/air
