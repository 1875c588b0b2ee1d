-- expect: limit=instructions
return {
  id = "escape-error-after-trip", title = "escape attempt: error-after-trip", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    for i = 1, 1e9 do local ok = pcall(error, "x") end
  end,
}
