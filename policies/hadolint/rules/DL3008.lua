-- DL3008: apt-get install without pinned versions.
local pins = require "hadolint_a_pins"

return {
  id = "DL3008",
  title = "apt-get install without pinned versions",
  severity = "medium",
  applies_to = "image",
  description = [[
apt-get install names packages without a version. Each build installs
whatever the repository holds that day, so two builds of the same
Dockerfile can contain different software, and an update can break the
image without any change in your repository.]],
  remediation = [[
Pin each package to the version you tested with, as name=version:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
     && rm -rf /var/lib/apt/lists/*
`apt-cache policy curl` in the base image shows the available versions.
Update the pins on purpose (Renovate can do it).]],
  refs = { hadolint = "DL3008" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "apt-get" then
        local p = cmd.package
        if p and p.manager == "apt-get" and p.subcommand == "install" then
          local loose = pins.unpinned(p)
          if #loose > 0 then
            report(cmd, ("apt-get install without a version for %s; pin them as name=version")
              :format(table.concat(loose, ", ")))
          end
        end
      end
    end
  end,
}
