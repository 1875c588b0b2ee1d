-- expect: error=none
-- Keeps 48 MiB in a global, then returns: the rule after it must still
-- get its own memory budget (benign-alloc builds 24 MiB).
return {
  id = "attack-memory-kept", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    local mb = string.rep("k", 1 << 20)
    KEPT = {}
    for i = 1, 48 do KEPT[i] = mb .. i end
  end,
}
