FROM scratch AS final
COPY app /app
