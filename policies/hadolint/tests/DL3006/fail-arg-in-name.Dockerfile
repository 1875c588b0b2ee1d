ARG VARIANT=slim
FROM registry.example.com/python-${VARIANT}
