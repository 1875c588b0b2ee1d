-- DL3018: apk add without pinned versions.
local pins = require "hadolint_a_pins"

return {
  id = "DL3018",
  title = "apk add without pinned versions",
  severity = "medium",
  applies_to = "image",
  description = [[
apk add names packages without a version. Each build installs whatever
the Alpine repository holds that day, so two builds of the same
Dockerfile can contain different software and an update can break the
image without a change on your side.]],
  remediation = [[
Pin each package as name=version (or name~version to allow patch
releases):
    RUN apk add --no-cache curl=8.9.1-r2 ca-certificates~20240705
`apk policy curl` shows the versions available for the base image.]],
  refs = { hadolint = "DL3018" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "apk" then
        local p = cmd.package
        if p and p.subcommand == "add" then
          local loose = pins.unpinned(p)
          if #loose > 0 then
            report(cmd, ("apk add without a version for %s; pin them as name=version")
              :format(table.concat(loose, ", ")))
          end
        end
      end
    end
  end,
}
