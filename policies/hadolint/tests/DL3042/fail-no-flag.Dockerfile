FROM python:3.12-slim
RUN pip install flask==3.0.3
RUN python -m pip install -r requirements.txt
