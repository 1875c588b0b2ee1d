# The base image runs as gitpod: sudo is how this file gets root; the
# finding says so instead of claiming the step already runs as root.
FROM gitpod/workspace-full:2024-11-25-06-35-37
RUN sudo apt-get update \
 && sudo apt-get install -y --no-install-recommends redis-server \
 && sudo rm -rf /var/lib/apt/lists/*
