-- expect: message=no bytecode
return {
  id = "escape-bytecode-load", title = "escape attempt: bytecode-load", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local f = load and load("\27Lua\84\0")
    if f then f() end
    if string.dump then error("string.dump is reachable") end
    error("no bytecode")
  end,
}
