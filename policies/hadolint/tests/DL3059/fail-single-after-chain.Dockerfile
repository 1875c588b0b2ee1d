FROM python:3.12-slim
RUN pip install --no-cache-dir poetry==1.8.3 && poetry --version
RUN poetry config virtualenvs.create false
RUN curl -fsS https://example.com/health | tee /tmp/health.txt
