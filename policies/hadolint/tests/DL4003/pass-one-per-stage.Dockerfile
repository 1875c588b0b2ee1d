FROM golang:1.22 AS build
CMD ["go", "test", "./..."]
FROM alpine:3.20
CMD ["/app"]
