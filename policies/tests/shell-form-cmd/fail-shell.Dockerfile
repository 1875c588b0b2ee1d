FROM python:3.13-slim
ENTRYPOINT /docker-entrypoint.sh
CMD python app.py
