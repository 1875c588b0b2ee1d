-- docker exec --privileged: a process started in a running container
-- with every capability of the host.

-- The container an exec request is for: the id or name in its path.
local function target(req)
  return (req.path or ""):match("^/containers/([^/]+)/exec$") or "a container"
end

return {
  id = "exec-privileged",
  title = "docker exec with --privileged",
  severity = "high",
  applies_to = "request",
  description = [[
The request starts a process in a running container with `docker exec
--privileged` (the exec body's `Privileged: true`). That process gets
every capability and no seccomp or AppArmor confinement, whatever the
container itself was started with: it can mount the host's disks, load
kernel modules and escape the container. An AuthZ plugin that only
checks `containers/create` lets this through.]],
  remediation = [[
Run the command without --privileged:
    docker exec -it web sh
If a task needs one capability, start a separate, short-lived container
for it with only that capability (`docker run --cap-add NET_ADMIN ...`)
instead of raising a running one to full privileges.]],
  refs = {
    cis = "5.23",
  },
  check = function(req)
    local exec = req.exec
    if exec ~= nil and exec.privileged == true then
      report(exec, "privileged", ("docker exec --privileged in %s: the process gets full access to the host")
        :format(target(req)))
    end
  end,
}
