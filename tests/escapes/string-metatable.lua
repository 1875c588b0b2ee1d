-- expect: message=metatable: false X
return {
  id = "escape-string-metatable", title = "escape attempt: string-metatable", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local mt = getmetatable("")
    if mt then mt.__index = function() return "pwned" end end
    error("metatable: " .. tostring(mt) .. " " .. ("x"):upper())
  end,
}
