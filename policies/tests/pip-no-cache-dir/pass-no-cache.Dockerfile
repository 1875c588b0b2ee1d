FROM python:3.13-slim AS wheels
# A build stage that does not ship may keep its cache.
RUN pip wheel -r requirements.txt -w /wheels && pip install build
FROM python:3.13-slim AS app
RUN pip install --no-cache-dir -r requirements.txt
RUN --mount=type=cache,target=/root/.cache/pip pip install flask
RUN PIP_NO_CACHE_DIR=1 pip install gunicorn
RUN pip install uvicorn && pip cache purge
RUN export PIP_NO_CACHE_DIR=1 && pip install starlette
FROM app
USER 1000
