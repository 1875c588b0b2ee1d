-- expect: error=time
-- String comparisons with the < operator: each is one VM instruction that
-- walks two 16 MiB strings, packed between two looks of the count hook.
return {
  id = "attack-compare-spin", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    local a = string.rep("\1", 16 << 20) .. "a"
    local b = string.rep("\1", 16 << 20) .. "b"
    local n = 0
    while true do
      if a < b then n = n + 1 end
      if b < a then n = n - 1 end
    end
  end,
}
