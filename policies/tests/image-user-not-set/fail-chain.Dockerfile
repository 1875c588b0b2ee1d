# A final stage built FROM an earlier stage: the finding is at the final
# stage, where a USER would go.
FROM python:3.12-slim AS base
RUN pip install --no-cache-dir flask==3.0.3

FROM base AS app
COPY app.py /srv/app.py
CMD ["python", "/srv/app.py"]
