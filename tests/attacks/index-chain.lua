-- expect: error=any
-- A chain of 2000 __index tables behind every element that table.concat,
-- table.unpack or gsub's table replacement reads.
return {
  id = "attack-index-chain", title = "attack", severity = "low", applies_to = "image",
  description = "d", remediation = "r",
  check = function(image)
    local base = { x = "y" }
    for _ = 1, 2000 do base = setmetatable({}, { __index = base }) end
    local t = setmetatable({}, { __index = function() return base.x end })
    local spins = 0
    for _ = 1, 1000 do
      pcall(table.concat, setmetatable({}, { __index = base }), "", 1, 100000)
      pcall(string.gsub, string.rep("x", 100000), "x", base)
      spins = spins + 1
    end
    error("chains walked " .. spins .. " times: " .. tostring(t[1]))
  end,
}
