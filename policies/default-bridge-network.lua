-- A container is on Docker's default bridge network.

return {
  id = "default-bridge-network",
  title = "Container on the default bridge network",
  severity = "low",
  profile = "strict",
  applies_to = "container",
  description = [[
The container is attached to Docker's default bridge (docker0): by
`network_mode: bridge`, or by `docker run` without --network. Every
container started that way shares this one network and can reach all
the others on any port, and the default bridge has no name resolution,
so people fall back to links and published ports.]],
  remediation = [[
Put containers on user-defined networks, one per group that must talk:
    docker network create backend
    docker run --network backend ...
In Compose, remove `network_mode: bridge`; services get the project's
own network, or name the ones they join:
    services:
      api:
        networks: [backend]
    networks:
      backend: {}]],
  refs = {
    cis = "5.30",
    kics = "ce14a68b",
  },
  check = function(c)
    local mode = c.namespaces and c.namespaces.network
    if mode == "bridge" or mode == "default" then
      report(c.namespaces, "network", ("%s is on the default bridge network"):format(model.describe(c)))
    elseif model.has(c.networks, "bridge") then
      report(c, "networks", ("%s is on the default bridge network"):format(model.describe(c)))
    end
  end,
}
