-- expect: message=writes: false false false
return {
  id = "escape-model-write", title = "escape attempt: model-write", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local ok1 = pcall(function() image.user = "root" end)
    local ok2 = pcall(rawset, image, "user", "root")
    local ok3 = pcall(function() document.images[1] = nil end)
    error(("writes: %s %s %s"):format(ok1, ok2, ok3))
  end,
}
