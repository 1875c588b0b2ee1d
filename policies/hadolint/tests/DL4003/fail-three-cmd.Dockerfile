FROM python:3.12-slim
CMD python app.py
CMD ["gunicorn", "app:app"]
CMD ["python", "-m", "app"]
