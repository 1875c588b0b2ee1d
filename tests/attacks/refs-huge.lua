-- expect: refused
-- 100 refs to one 16 MiB string, which the host once copied each.
local big = string.rep("x", 16 << 20)
local ids = {}
for i = 1, 100 do ids[i] = big end
return {
  id = "attack-refs-huge", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r", refs = { cis = ids },
  check = function(image) report(image, "huge") end,
}
