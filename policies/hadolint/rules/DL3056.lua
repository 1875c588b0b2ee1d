-- DL3056: a schema label of type semver is not a semantic version.
local labels = require "hadolint_labels"

return {
  id = "DL3056",
  title = "Schema label is not a semantic version",
  severity = "medium",
  applies_to = "image",
  description = [[
The label schema gives this label the type `semver`, and its value is
not a semantic version: three numbers MAJOR.MINOR.PATCH, optionally
followed by `-` and a pre-release (`1.4.0-rc.1`) and `+` and build
metadata. `v1.2.3`, `1.2` or `latest` do not qualify. A value taken
from a build variable (`$VERSION`) is left to the build.]],
  remediation = [[
Write the version without prefix, all three numbers:
    LABEL org.opencontainers.image.version="1.4.0"]],
  refs = { hadolint = "DL3056" },
  check = labels.value_check("semver", labels.is_semver,
    "label %s = '%s' is not a semantic version MAJOR.MINOR.PATCH (the label schema says semver)"),
}
