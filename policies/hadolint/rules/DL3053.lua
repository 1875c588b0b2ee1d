-- DL3053: a schema label of type rfc3339 is not an RFC 3339 date-time.
local labels = require "hadolint_labels"

return {
  id = "DL3053",
  title = "Schema label is not an RFC 3339 time",
  severity = "medium",
  applies_to = "image",
  description = [[
The label schema gives this label the type `rfc3339`, and its value is
not an RFC 3339 date-time: a full date, `T`, a time to the second, an
optional fraction, and `Z` or an offset such as `+02:00`. A date alone,
a missing time zone or a Unix timestamp do not qualify. A value taken
from a build variable (`$BUILD_DATE`) is left to the build.]],
  remediation = [[
Write the time in UTC with seconds and zone, usually from a build argument:
    ARG BUILD_DATE    # docker build --build-arg BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
    LABEL org.opencontainers.image.created=$BUILD_DATE]],
  refs = { hadolint = "DL3053" },
  check = labels.value_check("rfc3339", labels.is_rfc3339,
    "label %s = '%s' is not an RFC 3339 date-time (the label schema says rfc3339)"),
}
