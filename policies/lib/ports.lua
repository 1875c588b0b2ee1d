-- ports: the ports an image exposes and a container publishes.

local ports = {}

-- True when a published port's host address (port.host_ip) means every
-- interface of the host: none given, "0.0.0.0" or "::".
function ports.all_interfaces(ip)
  return ip == nil or ip == "" or ip == "0.0.0.0" or ip == "::" or ip == "[::]"
end

-- True when a host address is the loopback: 127.x.x.x, ::1 or localhost.
function ports.loopback(ip)
  return ip ~= nil and (ip:match("^127%.") ~= nil or ip == "::1" or ip == "[::1]" or ip == "localhost")
end

-- True when the range from..to (to nil: the single port from) holds
-- port; false when from is nil (a port the source does not state).
function ports.covers(from, to, port)
  return from ~= nil and from <= port and port <= (to or from)
end

-- Ports of services that must not face the network: databases, caches,
-- brokers, management consoles and APIs, debuggers. What each is.
local SERVICES = {
  [5432] = "PostgreSQL", [3306] = "MySQL/MariaDB", [1433] = "SQL Server", [1521] = "Oracle",
  [27017] = "MongoDB", [27018] = "MongoDB", [6379] = "Redis", [11211] = "Memcached",
  [9200] = "Elasticsearch", [9300] = "Elasticsearch", [5984] = "CouchDB", [9042] = "Cassandra",
  [7199] = "Cassandra JMX", [8086] = "InfluxDB", [2379] = "etcd", [2380] = "etcd",
  [2375] = "the Docker API (no TLS)", [2376] = "the Docker API", [5672] = "RabbitMQ",
  [15672] = "the RabbitMQ management UI", [9092] = "Kafka", [2181] = "ZooKeeper",
  [8500] = "the Consul API", [10250] = "the kubelet", [6443] = "the Kubernetes API",
  [9009] = "ClickHouse", [7474] = "Neo4j", [28015] = "RethinkDB",
  [5601] = "Kibana", [9600] = "the Logstash API", [8200] = "the Vault API",
  [8161] = "the ActiveMQ console", [9870] = "the HDFS NameNode UI", [50070] = "the HDFS NameNode UI",
  [8983] = "the Solr admin UI", [16686] = "the Jaeger UI", [61616] = "ActiveMQ",
  [5005] = "a Java debugger (JDWP)", [9229] = "the Node.js inspector", [2345] = "the Delve debugger",
}
-- Not listed: ports many ordinary web applications use too (9090, 8888,
-- 8088, 9443, 4040, 5678), where the number alone does not tell.

-- What listens on the port when it is a database, broker, management
-- console or API, or debugger ("PostgreSQL", "Kibana", "the Vault API",
-- "the Node.js inspector"), else nil.
function ports.service(port)
  return SERVICES[port]
end

-- The first of those in a published port's container range, as (port,
-- what), or nil; a range is looked at for its first 1000 ports.
function ports.published_service(p)
  local first = p.container_port
  if first == nil then return nil end
  for port = first, math.min(p.container_port_end or first, first + 1000) do
    if SERVICES[port] then return port, SERVICES[port] end
  end
  return nil
end

return ports
