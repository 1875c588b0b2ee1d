-- Container shares the host's network.

return template.host_namespace {
  id = "container-host-network",
  title = "Container shares the host's network",
  severity = "high",
  description = [[
The container uses the host's network namespace (`network_mode: host`,
--network host). It sees and can bind every interface of the host,
reaches services listening only on the host's localhost (the Docker API,
databases, cloud metadata proxies), and can sniff or disturb the host's
traffic. Port publishing and network isolation no longer apply.]],
  remediation = [[
Use a bridge or user-defined network and publish only the ports that
must be reached:
    services:
      web:
        networks: [frontend]
        ports: ["127.0.0.1:8080:8080"]
    networks:
      frontend: {}]],
  refs = {
    cis = "5.10",
    kics = "071a71ff",
  },
  namespace = "network",
  setting = "network_mode: host",
}
