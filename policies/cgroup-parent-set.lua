-- A container is placed in a custom cgroup.

return {
  id = "cgroup-parent-set",
  title = "Custom cgroup parent",
  severity = "info",
  profile = "strict",
  applies_to = "container",
  description = [[
The container sets `cgroup_parent` (--cgroup-parent), placing it in a
control group of your choosing instead of Docker's. The limits and
accounting of that group then apply, not Docker's: if the group is
shared with host services or has no limits, the container's resource
limits may not hold. Review that this is intended.]],
  remediation = [[
Remove `cgroup_parent` unless you manage that cgroup on purpose (e.g. a
systemd slice with its own limits); in that case suppress the finding
with a reason:
    # policy ignore=cgroup-parent-set -- runs in the batch.slice, limited by systemd]],
  refs = {
    cis = "5.25",
    kics = "4d9f44c6",
  },
  check = function(c)
    if c.cgroup_parent ~= nil and c.cgroup_parent ~= "" then
      report(c, "cgroup_parent", ("%s uses the cgroup parent %s"):format(model.describe(c), c.cgroup_parent))
    end
  end,
}
