-- A container has no memory limit.

return {
  id = "container-no-memory-limit",
  title = "No memory limit",
  severity = "medium",
  applies_to = "container",
  description = [[
The container has no memory limit (`mem_limit`, deploy.resources.limits.memory,
--memory). A leak, a large request or an attack can make it use all of
the host's memory; the kernel's out-of-memory killer then picks
victims, which may be other containers or the Docker daemon itself.]],
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
  check = function(c)
    if not model.resource_limit(c, "memory") then
      report(c, ("%s has no memory limit"):format(model.describe(c)))
    end
  end,
}
