-- expect: error=time|memory|instructions
-- Integer keys that all land in one hash chain: each rehash is quadratic
-- inside a single instruction.
return {
  id = "attack-int-key-rehash", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    local t = {}
    -- 2^32 - 1 is a multiple of 2^16 - 1: once the table has 2^16 slots,
    -- every key hashes to the same one.
    local step = (1 << 32) - 1
    for k = 1, 1 << 16 do t[k * step] = true end
    report(image, "filled")
  end,
}
