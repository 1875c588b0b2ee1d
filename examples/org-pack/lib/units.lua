-- units: sizes as people write them ("512M", "2G", 1073741824) and back.
local units = {}

local factors = { K = 1024, M = 1024 ^ 2, G = 1024 ^ 3, T = 1024 ^ 4 }

-- The number of bytes `s` names, or nil when it is not a size.
function units.bytes(s)
  if math.type(s) == "integer" then return s end
  if type(s) ~= "string" then return nil end
  local n, unit = s:match("^%s*(%d+)%s*([KMGTkmgt]?)[iI]?[bB]?%s*$")
  if n == nil then return nil end
  return math.tointeger(tonumber(n) * (factors[unit:upper()] or 1))
end

-- "2 GiB", "512 MiB", "100 bytes": the largest unit that divides evenly.
function units.human(bytes)
  for _, unit in ipairs({ "T", "G", "M", "K" }) do
    local f = factors[unit]
    if bytes >= f and bytes % f == 0 then return string.format("%d %siB", bytes // f, unit) end
  end
  return string.format("%d bytes", bytes)
end

return units
