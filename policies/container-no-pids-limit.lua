-- A container may start any number of processes.

return {
  id = "container-no-pids-limit",
  title = "No process (PIDs) limit",
  severity = "medium",
  applies_to = "container",
  description = [[
The container has no limit on its number of processes (`pids_limit`,
--pids-limit; 0 and -1 mean none). A fork bomb, or a bug that spawns
processes in a loop, can then exhaust the host's process table, and
nothing on the host can start a process any more.]],
  remediation = [[
Set a limit well above what the service uses:
    services:
      app:
        pids_limit: 200          # or deploy.resources.limits.pids: 200
(docker run --pids-limit 200 ...).]],
  refs = {
    cis = "5.29",
    kics = "221e0658",
  },
  check = function(c)
    if not model.resource_limit(c, "pids_limit") then
      report(c, ("%s has no PIDs limit"):format(model.describe(c)))
    end
  end,
}
