-- A container lacks settings of the hardening baseline: one finding lists them all.

return {
  id = "container-hardening-baseline",
  title = "Container lacks hardening settings",
  severity = "low",
  profile = "strict",
  applies_to = "container",
  description = [[
The container (a Compose service, an inspected container, a create
request) does not set part of the hardening that limits what a
compromised process can do, and that Docker leaves off by default:
dropping capabilities (`cap_drop: [ALL]`), no-new-privileges, a
read-only root file system, and limits on memory, CPU and processes.
None of them is a hole by itself; together they decide whether a bug in
the application stays a bug in one container or becomes a denial of
service of the host, a privilege escalation through a setuid binary, or
a foothold that writes tools into the container. One finding per
container lists what is missing (the all profile also has one rule per
item: container-capabilities-not-dropped, container-no-new-privileges,
container-root-filesystem-writable, container-no-memory-limit,
container-no-cpu-limit, container-no-pids-limit).]],
  remediation = [[
Add what the finding lists, then give back only what the service needs:
    services:
      api:
        cap_drop: [ALL]
        cap_add: [NET_BIND_SERVICE]     # only if it binds a port below 1024
        security_opt: ["no-new-privileges:true"]
        read_only: true
        tmpfs: [/tmp]                   # the paths it writes to
        mem_limit: 512m
        cpus: "1.0"
        pids_limit: 256
A setting the service cannot live with is suppressed with the reason:
    # policy ignore=container-hardening-baseline -- the agent needs a writable /var]],
  refs = {
    cis = { "5.4", "5.11", "5.12", "5.13", "5.26", "5.29" },
  },
  check = function(c)
    local missing = hardening.missing(c)
    if #missing > 0 then
      local list = #missing == 1 and missing[1]
                   or table.concat(missing, ", ", 1, #missing - 1) .. " and " .. missing[#missing]
      report(c, ("%s lacks %s"):format(model.describe(c), list))
    end
  end,
}
