-- Container shares the host's UTS namespace.

return template.host_namespace {
  id = "container-host-uts",
  title = "Container shares the host's UTS namespace",
  severity = "medium",
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
  namespace = "uts",
  setting = "uts: host",
}
