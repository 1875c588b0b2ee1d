-- Container opts out of user namespace remapping.

return template.host_namespace {
  id = "container-host-userns",
  title = "Container opts out of user namespace remapping",
  severity = "medium",
  description = [[
The container sets `userns_mode: host` (--userns host), opting out of
the daemon's user namespace remapping. Root in the container is then the
host's real root (UID 0) again, so any escape lands with full rights.]],
  remediation = [[
Remove `userns_mode: host` so the daemon's remapping (userns-remap in
daemon.json) applies, and run the service as a non-root user as well.]],
  refs = {
    cis = "5.31",
    kics = "8af7162d",
  },
  namespace = "userns",
  setting = "userns_mode: host",
  word = "user",
}
