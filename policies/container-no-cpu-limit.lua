-- A container has no CPU limit or share.

return template.hardening_item {
  id = "container-no-cpu-limit",
  title = "No CPU limit",
  severity = "low",
  profile = "all",
  description = [[
The container has neither a CPU limit (`cpus`, deploy.resources.limits.cpus,
--cpus) nor a CPU share. A busy or compromised container can then take
every CPU of the host and starve the others, including the daemon.
In the strict profile, container-hardening-baseline reports this with
the other missing hardening settings in one finding; this rule, in the
all profile, reports it on its own.]],
  remediation = [[
Limit the CPUs the service may use:
    services:
      app:
        cpus: "1.5"              # or deploy.resources.limits.cpus: "1.5"
(docker run --cpus 1.5 ..., or --cpu-shares 512 for a relative weight).]],
  refs = {
    cis = "5.12",
    kics = "6b610c50",
  },
  item = "cpus",
  message = "has no CPU limit",
}
