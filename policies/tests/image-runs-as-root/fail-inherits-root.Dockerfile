# The final stage inherits USER root from the stage it is built on.
FROM alpine:3.22 AS base
USER root:wheel
FROM base
CMD ["sh"]
