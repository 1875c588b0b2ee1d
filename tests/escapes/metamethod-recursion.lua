-- expect: error
return {
  id = "escape-metamethod-recursion", title = "escape attempt: metamethod-recursion", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local t = setmetatable({}, {})
    getmetatable(t).__index = function(tbl, k) return tbl[k .. "x"] end
    local _ = t.a
  end,
}
