FROM node:20-bookworm-slim
ARG app_dir=/srv/app
ENV node_env=production
# the ARG is gone when a child image runs the trigger; the ENV is not
ONBUILD RUN echo "building in $app_dir for $node_env"
RUN echo "building in $app_dir for $node_env"
