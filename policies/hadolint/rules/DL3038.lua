-- DL3038: dnf / microdnf install without -y.
local DNF = { dnf = true, microdnf = true }

return {
  id = "DL3038",
  title = "dnf install without -y",
  severity = "medium",
  applies_to = "image",
  description = [[
dnf (or microdnf) install runs without -y. The build cannot confirm the
transaction, so dnf stops at its question and the build fails.]],
  remediation = [[
Add -y (or --assumeyes):
    RUN dnf install -y nginx-1.24.0 && dnf clean all]],
  refs = { hadolint = "DL3038" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if DNF[cmd.program or ""] then
        local p = cmd.package
        if p and p.subcommand == "install" and not packages.option(p, "-y", "--assumeyes") then
          report(cmd, cmd.program .. " install without -y stops at its confirmation question")
        end
      end
    end
  end,
}
