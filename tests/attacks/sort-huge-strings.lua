-- expect: error=time|instructions
-- Sorting references to one 32 MiB string: each comparison walks it all.
return {
  id = "attack-sort-huge-strings", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    local s = string.rep("\0", 32 << 20)
    local t = {}
    for i = 1, 4096 do t[i] = s end
    table.sort(t)
    report(image, "sorted")
  end,
}
