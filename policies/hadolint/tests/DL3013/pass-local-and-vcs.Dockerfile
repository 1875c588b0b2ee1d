FROM python:3.12-slim
COPY dist/ /tmp/dist/
RUN pip install /tmp/dist/app-1.0-py3-none-any.whl ./vendor/lib \
 && pip install git+https://github.com/psf/requests@v2.32.3 \
 && pip install "mylib @ https://example.com/mylib-1.0.tar.gz"
