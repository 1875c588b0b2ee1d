-- A sensitive host folder is mounted into a container.

-- Read-only files that are routinely shared and reveal nothing.
local HARMLESS_READ_ONLY = {
  ["/etc/localtime"] = true, ["/etc/timezone"] = true, ["/usr/share/zoneinfo"] = true,
  ["/etc/ssl/certs"] = true, ["/etc/pki/ca-trust"] = true, ["/etc/machine-id"] = true,
}

return {
  id = "sensitive-host-path-mounted",
  title = "Sensitive host path mounted into the container",
  severity = "high",
  applies_to = "container",
  description = [[
The container bind-mounts a sensitive part of the host: / itself, /etc,
/proc, /sys, /boot, /dev, /root, /run or /var/run, /var/lib/docker, /usr
or /lib, written as such or reached from a relative or `~` path
(`../../../etc`, `~/.ssh` when HOME is /root; a data folder in the
home such as `~/minecraft_data` is the user's own and never counts). Written to, these let a process in the container change the
host's users, services, binaries or kernel settings; even read-only they
reveal password hashes, keys and configuration. A mount of the Docker
socket, or of a folder that holds it (/var/run, /run), is reported by
docker-socket-mounted instead.]],
  remediation = [[
Mount only the specific file or folder the service needs, read-only:
    services:
      app:
        volumes:
          - ./config/app.yaml:/etc/app/app.yaml:ro
Keep state in named volumes (`data:/var/lib/app`), not in host system
folders.]],
  refs = {
    cis = "5.6",
    kics = "1c1325ff",
  },
  check = function(c)
    for _, m in ipairs(c.mounts) do
      local path = m.host_path or paths.trim(m.source or "")
      -- The Docker socket, or a folder holding it, is docker-socket-mounted's
      -- finding (critical): one finding for the mount.
      if m.sensitive and not m.docker_socket and not (m.read_only and HARMLESS_READ_ONLY[path]) then
        local mode = m.read_only and "read-only" or "writable"
        local what = m.source or path
        if m.host_path and m.source and paths.trim(m.source) ~= m.host_path then
          what = ("%s (%s)"):format(m.source, m.host_path)
        end
        report(m, ("%s mounts the host's %s (%s)"):format(model.describe(c), what, mode))
      end
    end
  end,
}
