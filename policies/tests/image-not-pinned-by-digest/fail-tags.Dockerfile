FROM python:3.13-slim AS build
FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=build /app /app
