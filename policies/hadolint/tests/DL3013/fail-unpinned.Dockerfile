FROM python:3.12-slim
RUN pip install --no-cache-dir flask gunicorn==22.0.0
RUN python -m pip install --user "requests[socks]" && pip3 install uvicorn
