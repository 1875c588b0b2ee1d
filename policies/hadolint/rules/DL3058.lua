-- DL3058: a schema label of type email is not an e-mail address.
local labels = require "hadolint_labels"

return {
  id = "DL3058",
  title = "Schema label is not an e-mail address",
  severity = "medium",
  applies_to = "image",
  description = [[
The label schema gives this label the type `email`, and its value is not
an e-mail address (RFC 5322 addr-spec: local-part@domain, no display
name). `Jane Doe <jane@example.com>` or a bare name do not qualify. A
value taken from a build variable is left to the build.]],
  remediation = [[
Put only the address in the label:
    LABEL maintainer="platform-team@example.com"]],
  refs = { hadolint = "DL3058" },
  check = labels.value_check("email", labels.is_email,
    "label %s = '%s' is not an RFC 5322 e-mail address (the label schema says email)"),
}
