-- A container has no CPU limit or share.

return {
  id = "container-no-cpu-limit",
  title = "No CPU limit",
  severity = "low",
  applies_to = "container",
  description = [[
The container has neither a CPU limit (`cpus`, deploy.resources.limits.cpus,
--cpus) nor a CPU share. A busy or compromised container can then take
every CPU of the host and starve the others, including the daemon.]],
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
  check = function(c)
    if not model.resource_limit(c, "cpus") and not model.resource_limit(c, "cpu_shares") then
      report(c, ("%s has no CPU limit"):format(model.describe(c)))
    end
  end,
}
