-- DL3030: yum install without -y.

local INSTALLS = { install = true, groupinstall = true, localinstall = true }

return {
  id = "DL3030",
  title = "yum install without -y",
  severity = "medium",
  applies_to = "image",
  description = [[
yum install runs without -y. A build has nobody to answer yum's
"Is this ok [y/N]" question, so yum gives up and the build fails.]],
  remediation = [[
Add -y (or --assumeyes):
    RUN yum install -y httpd-2.4.6 && yum clean all]],
  refs = { hadolint = "DL3030" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "yum" then
        local p = cmd.package
        if p and INSTALLS[p.subcommand or ""] and not packages.option(p, "-y", "--assumeyes") then
          report(cmd, ("yum %s without -y stops at its confirmation question"):format(p.subcommand))
        end
      end
    end
  end,
}
