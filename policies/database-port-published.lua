-- A database, cache or admin port is published beyond the host.

local SERVICES = {
  [5432] = "PostgreSQL", [3306] = "MySQL/MariaDB", [1433] = "SQL Server", [1521] = "Oracle",
  [27017] = "MongoDB", [27018] = "MongoDB", [6379] = "Redis", [11211] = "Memcached",
  [9200] = "Elasticsearch", [9300] = "Elasticsearch", [5984] = "CouchDB", [9042] = "Cassandra",
  [7199] = "Cassandra JMX", [8086] = "InfluxDB", [2379] = "etcd", [2380] = "etcd",
  [2375] = "the Docker API (no TLS)", [2376] = "the Docker API", [5672] = "RabbitMQ",
  [15672] = "the RabbitMQ admin UI", [9092] = "Kafka", [2181] = "ZooKeeper",
  [8500] = "Consul", [10250] = "the kubelet", [6443] = "the Kubernetes API",
  [9009] = "ClickHouse", [7474] = "Neo4j", [28015] = "RethinkDB",
}

return {
  id = "database-port-published",
  title = "Database or admin port published beyond the host",
  severity = "high",
  applies_to = "container",
  description = [[
A container publishes the port of a database, cache, message broker or
management API (PostgreSQL 5432, MySQL 3306, MongoDB 27017, Redis 6379,
Elasticsearch 9200, the Docker API 2375/2376, etc.) on an address other
than the loopback. Such services are scanned for constantly; many run
without authentication by default, and a published port often bypasses
the host firewall.]],
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
      if not ports.loopback(p.host_ip) and p.container_port then
        local last = p.container_port_end or p.container_port
        for port = p.container_port, math.min(last, p.container_port + 1000) do
          if SERVICES[port] then
            report(p, ("container %s publishes port %d (%s) on %s"):format(
              c.name, port, SERVICES[port], p.host_ip or "all interfaces"))
            break
          end
        end
      end
    end
  end,
}
