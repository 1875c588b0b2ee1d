FROM golang:1.24 AS build
RUN go build -o /out/server ./cmd/server
FROM node:22 AS Build
RUN npm run build
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/server /server
