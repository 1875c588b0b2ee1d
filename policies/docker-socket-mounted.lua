-- The Docker (or containerd, podman) socket is mounted into a container.

return {
  id = "docker-socket-mounted",
  title = "Docker socket mounted into the container",
  severity = "critical",
  applies_to = "container",
  description = [[
The container mounts the Docker daemon's socket (/var/run/docker.sock, or
containerd's or podman's). Whoever controls the socket controls the
daemon, and the daemon runs as root: a process in the container can
start a privileged container that mounts the host's / and take over the
host. A read-only mount (`:ro`) does not help; the API still works.]],
  remediation = [[
Remove the mount. Tools that need the Docker API usually have a safer
way: a socket proxy that allows only the calls they need (e.g. only
reading container lists), rootless Docker, or, for builds in CI,
BuildKit/buildx or kaniko without any daemon.
    services:
      traefik:
        environment:
          DOCKER_HOST: tcp://socket-proxy:2375   # a proxy allowing GET /containers only]],
  refs = {
    cis = "5.32",
    kics = "d6355c88",
  },
  check = function(c)
    for _, m in ipairs(c.mounts) do
      if m.docker_socket then
        local source = m.source or "the Docker socket"
        if not source:match("%.sock$") and not source:match("docker_engine$") then
          source = ("the host's %s (%s), which holds the Docker socket"):format(source,
            m.read_only and "read-only" or "writable")
        end
        report(m, ("%s mounts %s: control of the Docker daemon, root on the host"):format(model.describe(c), source))
      end
    end
  end,
}
