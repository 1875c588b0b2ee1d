-- expect: limit=memory
return {
  id = "escape-concat-bomb", title = "escape attempt: concat-bomb", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local t = {}
    local s = string.rep("x", 1 << 20)
    for i = 1, 1e6 do t[i] = s .. i end
    local all = table.concat(t)
  end,
}
