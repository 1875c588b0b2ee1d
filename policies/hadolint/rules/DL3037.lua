-- DL3037: zypper install without versions.
local pins = require "hadolint_b_pins"

return {
  id = "DL3037",
  title = "zypper install without package versions",
  severity = "medium",
  applies_to = "image",
  description = [[
zypper installs packages without a version. Each build then takes
whatever the repository offers that day, so builds are not repeatable and
a new package release can break the image.]],
  remediation = [[
Name the version of each package:
    RUN zypper -n install nginx=1.21.5 && zypper clean
(nginx>=1.21 also counts as a version).]],
  refs = { hadolint = "DL3037" },
  check = function(image)
    pins.check(image, { zypper = true }, { install = true, ["in"] = true },
      "zypper installs packages without a version")
  end,
}
