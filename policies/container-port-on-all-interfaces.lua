-- A published port listens on every interface of the host.

return {
  id = "container-port-on-all-interfaces",
  title = "Published port bound to all host interfaces",
  severity = "low",
  profile = "strict",
  applies_to = "container",
  description = [[
A published port has no host address (`"8080:80"`, -p 8080:80) or
0.0.0.0/::, so it listens on every interface of the host, public ones
included. Docker also inserts its own firewall rules ahead of ufw or
firewalld, so a host firewall often does not block it: services meant
for the local machine or a private network end up on the internet.]],
  remediation = [[
Bind each published port to the interface it is meant for:
    services:
      web:
        ports:
          - "127.0.0.1:8080:80"      # only this machine (a reverse proxy in front)
          - "10.0.0.5:9100:9100"     # only the private network
Leave ports that other containers use unpublished: they reach the
service over the Compose network by its name.]],
  refs = {
    cis = "5.14",
    kics = "451d79dc",
  },
  check = function(c)
    for _, p in ipairs(c.ports) do
      -- A database, console or debugger port is database-port-published's finding.
      if ports.all_interfaces(p.host_ip) and not ports.published_service(p) then
        report(p, ("%s publishes %s on all host interfaces"):format(model.describe(c), p.raw or (p.container_port and tostring(p.container_port)) or "a port"))
      end
    end
  end,
}
