-- DL3051: a label of the schema is set to an empty value.
local labels = require "hadolint_labels"

return {
  id = "DL3051",
  title = "Schema label is empty",
  severity = "medium",
  applies_to = "image",
  description = [[
A label your label schema requires is set, but to an empty string, so
the image carries the name without the information. This often comes
from a LABEL written before the value was known. A value taken from a
build variable (`$VERSION`) is left to the build and not judged.]],
  remediation = [[
Give the label its value, or take it from a build argument:
    ARG VERSION
    LABEL org.opencontainers.image.version=$VERSION]],
  refs = { hadolint = "DL3051" },
  check = labels.value_check(nil, function(v) return v ~= "" end, "label %s is empty"),
}
