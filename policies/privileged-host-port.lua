-- A container port is published on a privileged host port.

return {
  id = "privileged-host-port",
  title = "Privileged host port (below 1024) mapped",
  severity = "low",
  profile = "strict",
  applies_to = "container",
  description = [[
A container port is published on a host port below 1024. Those ports are
reserved to root on the host for system services (SSH on 22, DNS on
53, ...): mapping one shadows or competes with a host service, and
makes the container look like a trusted system service to clients.]],
  remediation = [[
Publish on a high port and let a reverse proxy or load balancer in front
own 80 and 443:
    ports:
      - "127.0.0.1:8080:80"
If the container is that reverse proxy, suppress the finding with a
reason: # policy ignore=privileged-host-port -- the edge proxy]],
  refs = {
    cis = "5.8",
    kics = "bc2908f3",
  },
  check = function(c)
    for _, p in ipairs(c.ports) do
      if p.host_port and p.host_port > 0 and p.host_port < 1024 then
        report(p, ("%s is published on host port %d, below 1024"):format(model.describe(c), p.host_port))
      end
    end
  end,
}
