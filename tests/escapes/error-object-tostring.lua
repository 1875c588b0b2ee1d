-- expect: message=(error object is a table value)
return {
  id = "escape-error-object-tostring", title = "escape attempt: error-object-tostring", severity = "low",
  applies_to = "image", description = "Tries to escape the sandbox.",
  remediation = "None: this is a test.",
  check = function(image, document)
    error(setmetatable({}, { __tostring = function() while true do end end,
                             __index = function() while true do end end }))
  end,
}
