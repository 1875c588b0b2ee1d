-- packages: package-manager commands (apt-get, apt, aptitude, apk, yum,
-- dnf, microdnf, tdnf, zypper, pip), parsed.

local packages = {}

local FAMILY = {
  ["apt-get"] = "apt", apt = "apt", aptitude = "apt", apk = "apk", yum = "rpm", dnf = "rpm",
  microdnf = "rpm", tdnf = "rpm", zypper = "zypper", pip = "pip",
}

-- The options that take a value, per family: `-o Foo=1 install` has the
-- subcommand install.
local VALUE_OPTIONS = {
  apt = "-o -c -t --option --config-file --target-release --default-release",
  apk = "-t -X -p --virtual --repository --root --arch --cache-dir --keys-dir",
  rpm = "-c -d -e -x -R --installroot --releasever --exclude --setopt --enablerepo --disablerepo --repo",
  zypper = "-r -t -R -c -D --repo --type --root --config",
  pip = "-r -c -e -t -i -f --requirement --constraint --editable --target --index-url"
     .. " --extra-index-url --find-links --trusted-host --prefix --root --cache-dir --platform"
     .. " --python-version --src --progress-bar --log --proxy --timeout --retries --cert",
}
local TAKES_VALUE = {}
for family, list in pairs(VALUE_OPTIONS) do
  local set = {}
  for o in list:gmatch("%S+") do set[o] = true end
  TAKES_VALUE[family] = set
end

local WRAPPERS = { sudo = true, env = true, command = true, exec = true, nice = true }

local INSTALL = { install = true, add = true, ["in"] = true }

-- The family of a package manager's command name: "apt" (apt-get, apt,
-- aptitude), "apk", "rpm" (yum, dnf, microdnf, tdnf), "zypper", "pip";
-- nil for any other name.
function packages.family(name)
  return FAMILY[name]
end

-- A command (from image.commands) parsed as a package-manager command, or
-- nil when it runs no package manager. Wrappers (sudo, env, command,
-- exec, nice) are skipped, and `python -m pip` and pip3.12 are pip. A new
-- table: {name, family, cmd, sub, opts, args}: `sub` the subcommand (nil
-- when none), `opts` the options in order, each {name} or {name, value}
-- (--opt=v, -o v, -ov and -q=2 forms; "-abc" is -a, -b, -c), `args` the
-- other words (everything after "--").
function packages.parse(cmd)
  local argv = cmd.argv
  local i = shell.command_index(argv, WRAPPERS)
  local name = paths.base(argv[i])
  if name:match("^python[%d.]*$") and argv[i + 1] == "-m" and (argv[i + 2] or ""):match("^pip") then
    name, i = "pip", i + 2
  elseif name:match("^pip[%d.]*$") then
    name = "pip"
  end
  local family = FAMILY[name]
  if not family then return nil end
  local takes_value = TAKES_VALUE[family]
  local p = { name = name, family = family, cmd = cmd, opts = {}, args = {} }
  local k = i + 1
  while argv[k] do
    local a = argv[k]
    if a == "--" then
      for j = k + 1, #argv do p.args[#p.args + 1] = argv[j] end
      break
    elseif a:sub(1, 2) == "--" then
      local o, v = a:match("^(%-%-[^=]+)=(.*)$")
      if o then
        p.opts[#p.opts + 1] = { o, v }
      elseif takes_value[a] then
        p.opts[#p.opts + 1] = { a, argv[k + 1] }
        k = k + 1
      else
        p.opts[#p.opts + 1] = { a }
      end
    elseif a:match("^%-%a=") then -- -q=2
      p.opts[#p.opts + 1] = { a:sub(1, 2), a:sub(4) }
    elseif a:sub(1, 1) == "-" and #a > 1 then
      for j = 2, #a do
        local o = "-" .. a:sub(j, j)
        if takes_value[o] then
          local v = a:sub(j + 1)
          if v == "" then v, k = argv[k + 1], k + 1 end
          p.opts[#p.opts + 1] = { o, v }
          break
        end
        p.opts[#p.opts + 1] = { o }
      end
    elseif p.sub == nil then
      p.sub = a
    else
      p.args[#p.args + 1] = a
    end
    k = k + 1
  end
  return p
end

-- The first option of a parsed command (from parse) that has one of the
-- names given, as {name, value}, or nil: option(p, "-y", "--yes").
function packages.option(p, ...)
  local wanted = { ... }
  for _, o in ipairs(p.opts) do
    for _, want in ipairs(wanted) do
      if o[1] == want then return o end
    end
  end
  return nil
end

-- The names of the packages a parsed command installs (subcommand
-- install, add or in), without their versions ("curl=8.5.0-2" is "curl"),
-- as a new list; nil when it installs nothing.
function packages.installs(p)
  if not INSTALL[p.sub or ""] then return nil end
  local names = {}
  for _, pkg in ipairs(p.args) do names[#names + 1] = pkg:match("^([^=<>~]+)") or pkg end
  return names
end

return packages
