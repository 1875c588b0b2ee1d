-- DL3052: a schema label of type url is not an absolute URL.
local labels = require "hadolint_labels"

return {
  id = "DL3052",
  title = "Schema label is not a URL",
  severity = "medium",
  applies_to = "image",
  description = [[
The label schema gives this label the type `url`, and its value is not
an absolute URL (RFC 3986: a scheme such as https: followed by the rest,
with no spaces or characters that need percent-encoding). Tools that
link to the image's source or documentation from this label cannot use
it. A value taken from a build variable (`$URL`) is left to the build.]],
  remediation = [[
Write the whole URL, scheme included:
    LABEL org.opencontainers.image.source="https://github.com/acme/api"]],
  refs = { hadolint = "DL3052" },
  check = labels.value_check("url", labels.is_url,
    "label %s = '%s' is not a URL (the label schema says url)"),
}
