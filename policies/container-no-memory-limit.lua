-- A container has no memory limit.

return template.hardening_item {
  id = "container-no-memory-limit",
  title = "No memory limit",
  severity = "medium",
  profile = "all",
  description = [[
The container has no memory limit (`mem_limit`, deploy.resources.limits.memory,
--memory). A leak, a large request or an attack can make it use all of
the host's memory; the kernel's out-of-memory killer then picks
victims, which may be other containers or the Docker daemon itself.
In the strict profile, container-hardening-baseline reports this with
the other missing hardening settings in one finding; this rule, in the
all profile, reports it on its own.]],
  remediation = [[
Set a limit a little above what the service needs at peak:
    services:
      app:
        mem_limit: 512m          # or deploy.resources.limits.memory: 512M
(docker run --memory 512m ...).]],
  refs = {
    cis = "5.11",
    kics = "bb9ac4f7",
  },
  item = "memory",
  message = "has no memory limit",
}
