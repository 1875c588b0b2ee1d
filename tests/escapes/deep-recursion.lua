-- expect: error
return {
  id = "escape-deep-recursion", title = "escape attempt: deep-recursion", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local function f(n) return f(n + 1) + 1 end
    f(1)
  end,
}
