FROM python:3.12-slim AS app
ENTRYPOINT python app.py
ENTRYPOINT ["python", "app.py"]
ENTRYPOINT ["python", "-u", "app.py"]
