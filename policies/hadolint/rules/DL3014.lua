-- DL3014: apt-get install without -y.

-- apt-get's quiet level: each -q or --quiet adds one (-qq is two), and
-- -q=N or --quiet=N sets it to N.
local function quiet_level(p)
  local level = 0
  for _, o in ipairs(p.options or {}) do
    if o.name == "-q" or o.name == "--quiet" then
      local n = o.value and tonumber(o.value)
      level = n and n or level + 1
    end
  end
  return level
end

-- True when the options answer apt-get's confirmation question: -y, or
-- quiet level 2 (-qq), which apt-get documents as implying -y; a single
-- -q does not. A simulation asks nothing (hadolint reports it; this
-- pack does not).
local function assumes_yes(p)
  return quiet_level(p) >= 2 or packages.option(p, "-y", "--yes", "--assume-yes",
    "-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") ~= nil
end

return {
  id = "DL3014",
  title = "apt-get install without -y",
  severity = "medium",
  applies_to = "image",
  description = [[
apt-get install runs without -y. A build has nobody to answer apt-get's
"Do you want to continue?" question, so the command aborts as soon as it
asks, which it does whenever the install pulls in more than the packages
named: the build fails, often only later when a dependency changes.]],
  remediation = [[
Add -y (or --yes) to apt-get install:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*]],
  refs = { hadolint = "DL3014", trivy = "DS021", kics = "77783205" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "apt-get" then
        local p = cmd.package
        if p and p.subcommand == "install" and not assumes_yes(p) then
          report(cmd, "apt-get install without -y stops at its confirmation question")
        end
      end
    end
  end,
}
