-- Container shares the host's process namespace.

return template.host_namespace {
  id = "container-host-pid",
  title = "Container shares the host's process namespace",
  severity = "high",
  description = [[
The container uses the host's PID namespace (`pid: host`, --pid host).
It sees every process of the host, with their command lines and
environments (often full of secrets), and root in it can signal,
trace or inspect them: a short step from controlling the host.]],
  remediation = [[
Remove `pid: host`. To debug another container, share that
container's namespace instead, for a short time:
    docker run --rm -it --pid container:<name> busybox ps]],
  refs = {
    cis = "5.16",
    kics = "4f31dd9f",
  },
  namespace = "pid",
  setting = "pid: host",
}
