FROM python:3.12-slim
COPY requirements.txt constraints.txt ./
RUN pip install -r requirements.txt gunicorn \
 && pip install -c constraints.txt flask \
 && pip install --requirement=requirements.txt \
 && pip install .
