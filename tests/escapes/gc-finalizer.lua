-- expect: message=gc: false
return {
  id = "escape-gc-finalizer", title = "escape attempt: gc-finalizer", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    local ok, err = pcall(setmetatable, {}, { __gc = function() while true do end end })
    if ok then collectgarbage() end
    error("gc: " .. tostring(ok))
  end,
}
