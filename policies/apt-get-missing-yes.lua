-- apt-get install (or upgrade, remove) runs without -y.

-- Package-manager commands, parsed: the manager's name and family, its
-- subcommand, its options ({name, value}) and its operands. Wrappers
-- (sudo, env, command, nice) are skipped; options that take a value
-- consume it, so `-o Foo=1 install` has the subcommand install.
local FAMILY = {
  ["apt-get"] = "apt", apt = "apt", aptitude = "apt", apk = "apk", yum = "rpm", dnf = "rpm",
  microdnf = "rpm", tdnf = "rpm", zypper = "zypper", pip = "pip",
}
local VALUE_OPTIONS = {
  apt = "-o -c -t --option --config-file --target-release --default-release",
  apk = "-t -X -p --virtual --repository --root --arch --cache-dir --keys-dir",
  rpm = "-c -d -e -x -R --installroot --releasever --exclude --setopt --enablerepo --disablerepo --repo",
  zypper = "-r -t -R -c -D --repo --type --root --config",
  pip = "-r -c -e -t -i -f --requirement --constraint --editable --target --index-url"
     .. " --extra-index-url --find-links --trusted-host --prefix --root --cache-dir --platform"
     .. " --python-version --src --progress-bar --log --proxy --timeout --retries --cert",
}

local function parse_package_command(cmd)
  local argv, i = cmd.argv, 1
  while argv[i] do
    local word = argv[i]:match("[^/]*$")
    if word == "sudo" or word == "env" or word == "command" or word == "exec" or word == "nice" then
      i = i + 1
      while argv[i] and (argv[i]:sub(1, 1) == "-" or argv[i]:find("=", 1, true)) do i = i + 1 end
    else
      break
    end
  end
  local name = (argv[i] or ""):match("[^/]*$")
  if name:match("^python[%d.]*$") and argv[i + 1] == "-m" and (argv[i + 2] or ""):match("^pip") then
    name, i = "pip", i + 2
  elseif name:match("^pip[%d.]*$") then
    name = "pip"
  end
  local family = FAMILY[name]
  if not family then return nil end
  local takes_value = {}
  for o in VALUE_OPTIONS[family]:gmatch("%S+") do takes_value[o] = true end
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

-- The first of the named options the command was given, or nil.
local function option(p, ...)
  for _, o in ipairs(p.opts) do
    for _, want in ipairs({ ... }) do
      if o[1] == want then return o end
    end
  end
  return nil
end
local NEEDS_YES = {
  install = true, upgrade = true, ["dist-upgrade"] = true, ["full-upgrade"] = true,
  remove = true, purge = true, autoremove = true, ["build-dep"] = true, reinstall = true,
}

local function assumes_yes(p)
  if option(p, "-y", "--yes", "--assume-yes") then return true end
  -- A simulation asks nothing.
  if option(p, "-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act") then return true end
  local quiet = 0
  for _, o in ipairs(p.opts) do
    if o[1] == "-q" or o[1] == "--quiet" then quiet = quiet + (tonumber(o[2] or "") or 1) end
    if (o[1] == "-o" or o[1] == "--option") and (o[2] or ""):lower():match("^apt::get::assume%-yes=") then
      local v = o[2]:lower():match("=(.*)$")
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
so only later, when a dependency change makes apt-get ask.]],
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
    for _, cmd in ipairs(image.commands) do
      local p = parse_package_command(cmd)
      if p and p.family == "apt" and p.name ~= "aptitude" and NEEDS_YES[p.sub or ""]
         and not assumes_yes(p) then
        -- `yes | apt-get install ...` answers the question too.
        local answered = false
        for _, other in ipairs(image.commands) do
          if other.pipeline == cmd.pipeline and other.pipe_index < cmd.pipe_index
             and (other.argv[1] or ""):match("[^/]*$") == "yes" then
            answered = true
          end
        end
        if not answered then
          report(cmd, ("%s %s without -y stops at its confirmation question"):format(p.name, p.sub))
        end
      end
    end
  end,
}
