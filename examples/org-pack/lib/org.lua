-- org: the organisation's settings from data.org, checked, with the
-- defaults the pack ships (data/org.yaml). Every rule reads them here, so
-- a mistake in a team's --data file is one clear error, not three.
local units = require "units"

local org = {}

local function settings()
  local s = data.org
  if s == nil then error("data.org is missing: the pack's data/org.yaml was replaced by a --data file without an `org:` key", 0) end
  return s
end

-- The registries images may come from: a list of "host" or "host/prefix".
function org.approved_registries()
  return settings().approved_registries or {}
end

-- The memory ceiling in bytes.
function org.memory_ceiling()
  local raw = settings().memory_ceiling
  local bytes = units.bytes(raw)
  if bytes == nil then error("data.org.memory_ceiling must be a size such as 2G, not " .. tostring(raw), 0) end
  return bytes
end

-- The labels every container must carry.
function org.required_labels()
  return settings().required_labels or {}
end

return org
