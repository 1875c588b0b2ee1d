-- DL3015: apt-get install without --no-install-recommends.

local function no_recommends(p)
  for _, o in ipairs(p.options) do
    if o.name == "--no-install-recommends" then return true end
    if (o.name == "-o" or o.name == "--option") and o.value then
      local k, v = o.value:match("^([^=]+)=(.*)$")
      if k and k:lower() == "apt::install-recommends" then
        v = v:lower()
        if v == "false" or v == "0" or v == "no" or v == "off" then return true end
      end
    end
  end
  return false
end

return {
  id = "DL3015",
  title = "apt-get install without --no-install-recommends",
  severity = "low",
  applies_to = "image",
  description = [[
apt-get install runs without --no-install-recommends, so apt also
installs every package the named ones merely recommend. That often adds
tens or hundreds of megabytes of software nobody asked for: a bigger
image, slower pulls, and more packages that can carry vulnerabilities.]],
  remediation = [[
Add --no-install-recommends and name any recommended package you do need:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl ca-certificates \
     && rm -rf /var/lib/apt/lists/*]],
  refs = { hadolint = "DL3015", cis = "4.3", trivy = "DS029", kics = "7384dfb2" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "apt-get" then
        local p = cmd.package
        if p and p.subcommand == "install" and not no_recommends(p) then
          report(cmd, "apt-get install without --no-install-recommends also installs recommended packages")
        end
      end
    end
  end,
}
