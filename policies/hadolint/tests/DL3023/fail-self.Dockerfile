FROM golang:1.22 AS build
RUN go build -o /out/app .
COPY --from=build /out/app /app
