FROM python:3.12
COPY ["setup.py", "setup.cfg", "pyproject.toml", "/src"]
