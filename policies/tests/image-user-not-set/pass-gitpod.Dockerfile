FROM gitpod/workspace-full:2024-11-25-06-35-37
RUN sudo apt-get update && sudo apt-get install -y --no-install-recommends redis-server \
 && sudo rm -rf /var/lib/apt/lists/*
