-- expect: limit=instructions
return {
  id = "escape-coroutine-spin", title = "escape attempt: coroutine-spin", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local co = coroutine and coroutine.wrap(function() while true do end end)
    if co then co() else while true do end end
  end,
}
