FROM python:3.12-slim
RUN pip install --no-cache-dir "flask==3.0.3" "django>=4.2,<5" "numpy~=1.26" uvicorn[standard]==0.30.1
RUN pip install -r requirements.txt && pip install --no-deps -e .
