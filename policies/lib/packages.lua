-- packages: the package-manager commands of RUN steps. The parse is the
-- model's own, made once per document in C: command.package, with
-- manager, family, subcommand, options ({name, value} each), args and the
-- packages an installing subcommand names ({name, version, raw}); see
-- docs/model.md. These helpers read it.

local packages = {}

-- The system package managers, by the family of their command name:
-- "apt" (apt-get, apt, aptitude), "apk", "rpm" (yum, dnf, microdnf,
-- tdnf), "zypper"; and pip.
local FAMILY = {
  ["apt-get"] = "apt", apt = "apt", aptitude = "apt", apk = "apk", yum = "rpm", dnf = "rpm",
  microdnf = "rpm", tdnf = "rpm", zypper = "zypper", pip = "pip",
}

local SYSTEM = { apt = true, apk = true, rpm = true, zypper = true }

-- The family of a package manager's command name ("apt", "apk", "rpm",
-- "zypper", "pip"), or nil for any other name.
function packages.family(name)
  return FAMILY[name]
end

-- The command's package-manager parse (command.package), or nil when it
-- runs no package manager (the model says false).
function packages.parse(cmd)
  return cmd.package or nil
end

-- True when a parse (from parse) is of a system package manager: apt,
-- apk, rpm or zypper (not pip, npm, gem or go).
function packages.system(p)
  return SYSTEM[p.family] == true
end

-- The first option of a parse that has one of the names given, as
-- {name, value}, or nil: option(p, "-y", "--yes").
function packages.option(p, ...)
  local n = select("#", ...)
  local options_list = p.options
  for j = 1, #options_list do
    local o = options_list[j]
    for i = 1, n do
      if o.name == select(i, ...) then return o end
    end
  end
  return nil
end

-- The names of the packages an installing command names, without their
-- versions ("curl=8.5.0-2" is "curl"), as a new list; nil when it
-- installs nothing.
function packages.installs(p)
  if not p.packages then return nil end
  local names = {}
  for _, pkg in ipairs(p.packages) do names[#names + 1] = pkg.name end
  return names
end

-- Calls fn(p, cmd, run) for each package-manager command of the stage's
-- RUN steps in order: p its parse, run the commands of its RUN (a list
-- with field `instruction`, as shell.runs gives). When fn returns true the
-- rest of that RUN is skipped (one finding per RUN). With `match` (a
-- function of p), only the commands it returns true for are passed, and
-- only a RUN that has one gets its list made: most RUNs install with
-- another manager than the one a rule is about. The model lists a RUN's
-- commands together (RUN by RUN, in order).
function packages.each(image, fn, match)
  local cmds = image.commands
  local n, k = #cmds, 1
  while k <= n do
    local p = cmds[k].package
    if p and (match == nil or match(p)) then
      local index = cmds[k].instruction
      local first, last = k, k
      while first > 1 and cmds[first - 1].instruction == index do first = first - 1 end
      while last < n and cmds[last + 1].instruction == index do last = last + 1 end
      local run = { instruction = index }
      for i = first, last do run[#run + 1] = cmds[i] end
      for i = k, last do
        local q = cmds[i].package
        if q and (match == nil or match(q)) and fn(q, cmds[i], run) then break end
      end
      k = last + 1
    else
      k = k + 1
    end
  end
end

return packages
