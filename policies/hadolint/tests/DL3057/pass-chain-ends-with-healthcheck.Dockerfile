FROM python:3.12-slim AS runtime
RUN pip install --no-cache-dir gunicorn==22.0.0

FROM runtime AS app
COPY app /srv/app

FROM app AS web
HEALTHCHECK --interval=30s CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"
CMD ["gunicorn", "app:app"]
