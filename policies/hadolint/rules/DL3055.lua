-- DL3055: a schema label of type hash is not a git commit hash.
local labels = require "hadolint_labels"

return {
  id = "DL3055",
  title = "Schema label is not a git hash",
  severity = "medium",
  applies_to = "image",
  description = [[
The label schema gives this label the type `hash`, and its value is not
a git commit hash as hadolint accepts one: exactly 7 (short) or 40
(full) lower-case hexadecimal digits. A branch or tag name, an
upper-case hash or a hash of another length do not qualify. A value
taken from a build variable (`$VCS_REF`) is left to the build.]],
  remediation = [[
Record the commit the image was built from:
    ARG VCS_REF       # docker build --build-arg VCS_REF=$(git rev-parse HEAD)
    LABEL org.opencontainers.image.revision=$VCS_REF]],
  refs = { hadolint = "DL3055" },
  check = labels.value_check("hash", labels.is_git_hash,
    "label %s = '%s' is not a git commit hash of 7 or 40 lower-case hex digits (the label schema says hash)"),
}
