-- expect: limit=instructions
return {
  id = "escape-xpcall-handler", title = "escape attempt: xpcall-handler", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local handler = function() while true do end end
    xpcall(function() error("boom") end, handler)
    while true do end
  end,
}
