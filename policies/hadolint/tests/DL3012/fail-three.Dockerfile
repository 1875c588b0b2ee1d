FROM python:3.12
HEALTHCHECK NONE
HEALTHCHECK CMD python -c "print(1)"
HEALTHCHECK CMD python -c "print(2)"
