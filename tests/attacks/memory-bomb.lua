-- expect: error=memory once
-- A memory refusal is reported once, not twice.
return {
  id = "attack-memory-bomb", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    local t, mb = {}, string.rep("m", 1 << 20)
    for i = 1, 1 << 30 do t[i] = mb:rep(4) .. i end
  end,
}
