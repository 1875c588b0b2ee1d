-- Container shares the host's UTS namespace.

return {
  id = "container-host-uts",
  title = "Container shares the host's UTS namespace",
  severity = "medium",
  applies_to = "container",
  description = [[
The container uses the host's UTS namespace (`uts: host`, --uts host).
Root in the container can change the host's hostname and domain name,
confusing logs, monitoring and anything that trusts the name.]],
  remediation = [[
Remove `uts: host`; set the container's own name if needed:
    services:
      app:
        hostname: app]],
  refs = {
    cis = "5.21",
  },
  check = function(c)
    if c.namespaces and c.namespaces.uts == "host" then
      report(c.namespaces, "uts", ("container %s uses the host's uts namespace (uts: host)"):format(c.name))
    end
  end,
}
