-- DL3035: zypper dist-upgrade in a build.
return {
  id = "DL3035",
  title = "zypper dist-upgrade in a build",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN runs zypper dist-upgrade. It upgrades the whole distribution inside
the image: the result depends on the day of the build, and large changes
belong in a newer base image.]],
  remediation = [[
Remove the dist-upgrade and use a newer base image tag instead; install
only the packages you need, with versions.]],
  refs = { hadolint = "DL3035" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "zypper" then
        local p = cmd.package
        local sub = p and p.subcommand
        if sub == "dist-upgrade" or sub == "dup" then
          report(cmd, "zypper " .. sub .. " upgrades the whole distribution in the build")
        end
      end
    end
  end,
}
