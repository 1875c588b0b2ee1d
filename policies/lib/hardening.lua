-- hardening: the hardening baseline of a container (a Compose service, an
-- inspected container, a create request): the settings that limit what a
-- compromised process can do, which Docker leaves off by default. One
-- rule reports what a container lacks of it in one finding; the itemised
-- rules (profile "all") report each item.

local hardening = {}

-- The items, in the order findings list them: the name rules use, what
-- the container lacks (as a finding's words), and the test.
local ITEMS = {
  { name = "cap_drop", lacks = "cap_drop: [ALL]",
    test = function(c) return c.privileged == true or model.has(c.cap_drop, "ALL") end },
  { name = "no_new_privileges", lacks = "no-new-privileges",
    test = function(c) return c.security ~= nil and c.security.no_new_privileges == true end },
  { name = "read_only", lacks = "read_only: true",
    test = function(c) return c.read_only == true end },
  { name = "memory", lacks = "a memory limit",
    test = function(c) return model.resource_limit(c, "memory") ~= nil end },
  { name = "cpus", lacks = "a CPU limit",
    test = function(c) return model.resource_limit(c, "cpus") ~= nil or model.resource_limit(c, "cpu_shares") ~= nil end },
  { name = "pids", lacks = "a PIDs limit",
    test = function(c) return model.resource_limit(c, "pids_limit") ~= nil end },
}
local BY_NAME = {}
for _, item in ipairs(ITEMS) do BY_NAME[item.name] = item end

-- True when the container lacks the item named (cap_drop,
-- no_new_privileges, read_only, memory, cpus, pids). A privileged
-- container is not told to drop capabilities (container-privileged is
-- its finding).
function hardening.lacks(c, name)
  return not BY_NAME[name].test(c)
end

-- What the container lacks of the baseline, as a new list of words
-- ("cap_drop: [ALL]", "a memory limit", ...), in the items' order.
function hardening.missing(c)
  local out = {}
  for _, item in ipairs(ITEMS) do
    if not item.test(c) then out[#out + 1] = item.lacks end
  end
  return out
end

return hardening
