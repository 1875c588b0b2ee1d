-- A container may start any number of processes.

return template.hardening_item {
  id = "container-no-pids-limit",
  title = "No process (PIDs) limit",
  severity = "medium",
  profile = "all",
  description = [[
The container has no limit on its number of processes (`pids_limit`,
--pids-limit; 0 and -1 mean none). A fork bomb, or a bug that spawns
processes in a loop, can then exhaust the host's process table, and
nothing on the host can start a process any more.
In the strict profile, container-hardening-baseline reports this with
the other missing hardening settings in one finding; this rule, in the
all profile, reports it on its own.]],
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
  item = "pids",
  message = "has no PIDs limit",
}
