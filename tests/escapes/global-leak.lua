-- expect: message=global written
return {
  id = "escape-global-leak", title = "escape attempt: global-leak", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    string_upper = string.upper
    leaked_global = "set by escape-global-leak"
    if string then pcall(function() string.upper = function() return "pwned" end end) end
    error("global written")
  end,
}
