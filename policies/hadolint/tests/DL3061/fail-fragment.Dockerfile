# A snippet without a base image: every line is out of place.
ENV PYTHONUNBUFFERED=1
ARG APP_HOME=/srv/app
WORKDIR ${APP_HOME}
