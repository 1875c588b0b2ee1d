FROM python:3.12 AS base
WORKDIR /srv
FROM base
COPY requirements.txt .
COPY app.py $APP_HOME/app.py
