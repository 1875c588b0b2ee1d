-- apt-get install (or upgrade, remove) runs without -y.

local NEEDS_YES = {
  install = true, upgrade = true, ["dist-upgrade"] = true, ["full-upgrade"] = true,
  remove = true, purge = true, autoremove = true, ["build-dep"] = true, reinstall = true,
}

local function assumes_yes(p)
  if packages.option(p, "-y", "--yes", "--assume-yes") then return true end
  -- A simulation asks nothing.
  if packages.option(p, "-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") then return true end
  local quiet = 0
  local options = p.options
  for i = 1, #options do
    local o = options[i]
    if o.name == "-q" or o.name == "--quiet" then quiet = quiet + (tonumber(o.value or "") or 1) end
    if (o.name == "-o" or o.name == "--option") and (o.value or ""):lower():match("^apt::get::assume%-yes=") then
      local v = o.value:lower():match("=(.*)$")
      if v == "true" or v == "1" or v == "yes" then return true end
    end
  end
  return quiet >= 2 -- -qq implies -y
end

return {
  id = "apt-get-missing-yes",
  title = "apt-get runs without -y",
  severity = "low",
  applies_to = "image",
  description = [[
apt-get install (or upgrade, remove, purge) runs without -y. There is no
one to answer its "Do you want to continue?" question during a build, so
apt-get aborts as soon as it would ask: the build fails, or worse, does
so only later, when a dependency change makes apt-get ask. A RUN is reported once, at its first such command.]],
  remediation = [[
Add -y (or --yes) to every apt-get command that changes packages:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*]],
  refs = {
    hadolint = "DL3014",
    trivy = "DS021",
    kics = "77783205",
  },
  check = function(image)
    -- Pipelines that `yes` feeds: `yes | apt-get install ...` (a pipeline's
    -- commands come in order and its number is unique in the stage, so a
    -- `yes` seen in it comes before the command).
    local answered = {}
    local reported = {} -- one finding per RUN
    local commands = image.commands
    for i = 1, #commands do
      local cmd = commands[i]
      if cmd.name == "yes" then answered[cmd.pipeline] = true end
      local p = cmd.package
      if p and p.family == "apt" and p.manager ~= "aptitude" and NEEDS_YES[p.subcommand or ""]
         and not assumes_yes(p) and not answered[cmd.pipeline]
         and not reported[cmd.instruction] then
        reported[cmd.instruction] = true
        report(cmd, ("%s %s without -y stops at its confirmation question"):format(p.manager, p.subcommand))
      end
    end
  end,
}
