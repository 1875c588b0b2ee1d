-- expect: limit=instructions
return {
  id = "escape-infinite-loop", title = "escape attempt: infinite-loop", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    while true do end
  end,
}
