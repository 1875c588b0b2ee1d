-- DL3034: zypper without a non-interactive switch.
local ASKS = {
  install = true, ["in"] = true, remove = true, rm = true, ["source-install"] = true, si = true,
  patch = true,
}

return {
  id = "DL3034",
  title = "zypper without a non-interactive switch",
  severity = "medium",
  applies_to = "image",
  description = [[
zypper installs, removes or patches without -n / --non-interactive (or -y
/ --no-confirm). A build cannot answer zypper's questions, so the command
stops and the build fails.]],
  remediation = [[
Pass -n (before the command) or -y (after it):
    RUN zypper -n install nginx=1.21.5 && zypper clean]],
  refs = { hadolint = "DL3034" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "zypper" then
        local p = cmd.package
        if p and ASKS[p.subcommand or ""] and not packages.option(p, "-n", "--non-interactive", "-y", "--no-confirm") then
          report(cmd, "zypper " .. p.subcommand .. " without --non-interactive stops at its first question")
        end
      end
    end
  end,
}
