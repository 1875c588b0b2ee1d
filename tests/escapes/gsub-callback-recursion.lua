-- expect: error
return {
  id = "escape-gsub-callback-recursion", title = "escape attempt: gsub-callback-recursion", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local function f(s) return (s:gsub(".", f)) end
    f("abc")
  end,
}
