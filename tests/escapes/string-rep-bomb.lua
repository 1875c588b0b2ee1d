-- expect: error
return {
  id = "escape-string-rep-bomb", title = "escape attempt: string-rep-bomb", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local s = string.rep("x", 1 << 40)
  end,
}
