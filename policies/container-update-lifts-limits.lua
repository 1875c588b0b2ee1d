-- docker update: a container's resource limits lifted or raised.

local function target(req)
  return (req.path or ""):match("^/containers/([^/]+)/update$") or "a container"
end

local lifted = {
  pids_limit = "removes its PIDs limit (a fork bomb can take the host down)",
  memory_swap = "gives it unlimited swap",
  cpus = "removes its CPU quota",
}

-- A size from data: a number of bytes, or text like 512M or 2G.
local function bytes(v)
  if type(v) == "number" then return v end
  local n, unit = tostring(v):match("^(%d+%.?%d*)%s*([kKmMgGtT]?)[iI]?[bB]?$")
  if n == nil then return nil end
  local mult = ({ k = 1024, m = 1024 ^ 2, g = 1024 ^ 3, t = 1024 ^ 4 })[unit:lower()] or 1
  return tonumber(n) * mult
end

-- A limit as people write it: bytes as MiB or GiB, CPUs and PIDs as numbers.
local function shown(field, v)
  if field == "memory" then
    if v >= 1024 ^ 3 then return ("%g GiB"):format(v / 1024 ^ 3) end
    return ("%g MiB"):format(v / 1024 ^ 2)
  end
  return ("%g"):format(v)
end

return {
  id = "container-update-lifts-limits",
  title = "Container update lifts or raises a resource limit",
  severity = "medium",
  applies_to = "request",
  description = [[
The request (`docker update`) changes a running container's limits: it
sets the PIDs limit to unlimited (`--pids-limit -1` or 0), swap to
unlimited (`--memory-swap -1`) or removes the CPU quota (`--cpu-quota
-1`), or, when your data names maximums, raises memory, CPUs or PIDs
above them. Limits are what keeps one container from starving the others
and the host; a gate that checks them only at `docker run` is undone by
one `docker update`.]],
  remediation = [[
Keep the limits when updating, or raise them to bounded values:
    docker update --pids-limit 512 --memory 1g --memory-swap 1g web
Set the maximums your hosts allow in a data file (--data), and the rule
also reports updates above them:
    # limits.yaml
    admission_limits:
      memory: 4G        # bytes, or K/M/G/T
      cpus: 4
      pids: 4096]],
  refs = {
    cis = "5.11",
  },
  check = function(req)
    local u = req.update
    if u == nil then return end
    for _, name in ipairs(u.unlimited) do
      report(u, ("the update of %s %s"):format(target(req), lifted[name] or ("lifts " .. name)))
    end
    local max = data and data.admission_limits
    if max == nil then return end
    local r = u.resources
    local checks = {
      { "memory", r.memory, bytes(max.memory), "memory" },
      { "cpus", r.cpus, tonumber(max.cpus), "CPUs" },
      { "pids_limit", r.pids_limit, tonumber(max.pids), "PIDs" },
    }
    for _, c in ipairs(checks) do
      local field, value, limit, what = c[1], c[2], c[3], c[4]
      if value ~= nil and limit ~= nil and value > limit then
        report(r, field, ("the update of %s raises its %s limit to %s, above the allowed %s")
          :format(target(req), what, shown(field, value), shown(field, limit)))
      end
    end
  end,
}
