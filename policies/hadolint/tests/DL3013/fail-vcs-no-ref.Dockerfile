FROM python:3.12-slim
RUN pip install git+https://github.com/psf/requests.git
RUN pip install --index-url https://pypi.example.com/simple internal-lib
