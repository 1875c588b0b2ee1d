-- expect: limit=instructions
return {
  id = "escape-pcall-loop", title = "escape attempt: pcall-loop", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    while true do pcall(function() while true do end end) end
  end,
}
