-- DL3033: yum install without versions.
local pins = require "hadolint_b_pins"

return {
  id = "DL3033",
  title = "yum install without package versions",
  severity = "medium",
  applies_to = "image",
  description = [[
yum installs packages without a version. Each build then takes whatever
the repository offers that day, so two builds of the same Dockerfile can
differ and a new release can break the image without any change to it.]],
  remediation = [[
Name the version of each package:
    RUN yum install -y httpd-2.4.6 && yum clean all
(yum list --showduplicates httpd shows the versions available).]],
  refs = { hadolint = "DL3033" },
  check = function(image)
    pins.check(image, { yum = true }, { install = true }, "yum installs packages without a version")
  end,
}
