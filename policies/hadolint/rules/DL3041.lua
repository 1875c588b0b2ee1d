-- DL3041: dnf / microdnf install without versions.
local pins = require "hadolint_b_pins"

return {
  id = "DL3041",
  title = "dnf install without package versions",
  severity = "medium",
  applies_to = "image",
  description = [[
dnf (or microdnf) installs packages without a version. Each build then
takes whatever the repository offers that day, so builds are not
repeatable and a new package release can break the image.]],
  remediation = [[
Name the version of each package (a build ARG works too):
    RUN dnf install -y nginx-1.24.0 && dnf clean all]],
  refs = { hadolint = "DL3041" },
  check = function(image)
    pins.check(image, { dnf = true, microdnf = true }, { install = true },
      "dnf installs packages without a version")
  end,
}
