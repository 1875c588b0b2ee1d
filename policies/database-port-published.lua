-- A database, broker, management or debugger port is published beyond the host.

return {
  id = "database-port-published",
  title = "Database, management or debugger port published beyond the host",
  severity = "high",
  applies_to = "container",
  description = [[
A container publishes the port of a database, cache, message broker,
management console or API, or debugger (PostgreSQL 5432, MySQL 3306,
MongoDB 27017, Redis 6379, Elasticsearch 9200, Kibana 5601, the Logstash
API 9600, Vault 8200, the RabbitMQ console 15672, the Docker API
2375/2376, a Java or Node.js debugger 5005/9229, etc.) on an address
other than the loopback. Such services are scanned for constantly; many
run without authentication by default, a debugger port runs any code it
is sent, and a published port often bypasses the host firewall.]],
  remediation = [[
Do not publish it: other containers of the project reach it over the
Compose network by service name (postgres://db:5432). If you need it
from the host, bind it to loopback:
    services:
      db:
        image: postgres:17
        ports:
          - "127.0.0.1:5432:5432"]],
  refs = {
    cis = "5.9",
  },
  check = function(c)
    for _, p in ipairs(c.ports) do
      if not ports.loopback(p.host_ip) then
        local port, what = ports.published_service(p)
        if port then
          report(p, ("%s publishes port %d (%s) on %s"):format(
            model.describe(c), port, what, p.host_ip or "all interfaces"))
        end
      end
    end
  end,
}
