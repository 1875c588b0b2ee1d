-- expect: refused
-- 100 000 refs, which once took a minute to sort at load.
local ids = {}
for i = 1, 100000 do ids[i] = "DL" .. (100000 + i) end
return {
  id = "attack-refs-flood", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r", refs = { hadolint = ids },
  check = function(image) report(image, "flood") end,
}
