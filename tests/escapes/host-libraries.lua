-- expect: message=reachable: 
return {
  id = "escape-host-libraries", title = "escape attempt: host-libraries", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local found = {}
    for _, name in ipairs({"io", "os", "debug", "package", "require", "dofile", "loadfile", "collectgarbage"}) do
      if _ENV[name] ~= nil then found[#found + 1] = name end
    end
    error("reachable: " .. table.concat(found, ","))
  end,
}
