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

return ports
