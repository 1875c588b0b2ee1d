-- DL3054: a schema label of type spdx is not an SPDX license identifier.
local labels = require "hadolint_labels"

return {
  id = "DL3054",
  title = "Schema label is not an SPDX licence id",
  severity = "medium",
  applies_to = "image",
  description = [[
The label schema gives this label the type `spdx`, and its value is not
one identifier of the SPDX License List, in its exact spelling
(`Apache-2.0`, `MIT`, `GPL-3.0-only`). As in hadolint, a licence
expression (`MIT OR Apache-2.0`, `GPL-2.0+`, `... WITH ...`) and
`LicenseRef-` names are not accepted: the label holds one identifier.
A value taken from a build variable is left to the build.]],
  remediation = [[
Use the identifier from https://spdx.org/licenses/ as it is spelt there:
    LABEL org.opencontainers.image.licenses="Apache-2.0"]],
  refs = { hadolint = "DL3054" },
  check = labels.value_check("spdx", labels.is_spdx,
    "label %s = '%s' is not an SPDX license identifier (the label schema says spdx)"),
}
