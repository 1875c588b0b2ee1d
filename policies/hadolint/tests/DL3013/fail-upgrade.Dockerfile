FROM python:3.11
RUN pip install --upgrade pip setuptools==69.5.1
