-- expect: limit=instructions
return {
  id = "escape-pattern-bomb", title = "escape attempt: pattern-bomb", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    string.find(string.rep("a", 5000), string.rep("a*", 30) .. "b")
  end,
}
