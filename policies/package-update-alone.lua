-- The package index is updated in a RUN that installs nothing.

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
-- The commands of each RUN instruction, in order: {instruction index -> list}.
local function runs_of(image)
  local runs, order = {}, {}
  for _, c in ipairs(image.commands) do
    local run = runs[c.instruction]
    if not run then
      run = {}
      runs[c.instruction] = run
      order[#order + 1] = c.instruction
    end
    run[#run + 1] = c
  end
  return runs, order
end

-- The --mount targets of a RUN instruction that are caches or tmpfs.
local function cache_mounted(image, index, ...)
  local instr = image.instructions[index + 1]
  for _, m in ipairs(instr and instr.mounts or {}) do
    if (m.type == "cache" or m.type == "tmpfs") and m.target then
      local target = m.target:gsub("/+$", "")
      for _, want in ipairs({ ... }) do
        if target == want or want:sub(1, #target + 1) == target .. "/" then return true end
      end
    end
  end
  return false
end
local UPDATES = { apt = { update = true }, apk = { update = true },
                  rpm = { makecache = true }, zypper = { refresh = true, ref = true } }
local INSTALLS = {
  install = true, add = true, upgrade = true, ["dist-upgrade"] = true, ["full-upgrade"] = true,
  ["in"] = true, up = true, reinstall = true, ["build-dep"] = true,
  update = true, -- yum, dnf and zypper: update installs (apt's and apk's update is caught first)
}

return {
  id = "package-update-alone",
  title = "Package index updated in a RUN of its own",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN step updates the package index (apt-get update, apk update, dnf
makecache, zypper refresh) and installs nothing in the same step. Docker
caches that layer: when you later add a package to the next RUN, the
build reuses the old index, and apt-get installs outdated versions, with
their known vulnerabilities, or fails because they are gone from the
mirror.]],
  remediation = [[
Update and install in one RUN, so the index is always as fresh as the
install:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*
(on Alpine, `apk add --no-cache curl` needs no update at all).]],
  refs = {
    cis = "4.7",
    trivy = "DS017",
    kics = "9bae49be",
    checkov = "CKV_DOCKER_5",
  },
  check = function(image)
    local runs, order = runs_of(image)
    for _, index in ipairs(order) do
      local run, update, installs = runs[index], nil, false
      for _, c in ipairs(run) do
        local p = parse_package_command(c)
        if p and UPDATES[p.family] then
          local sub = p.sub or ""
          if UPDATES[p.family][sub] then
            update = update or p
          elseif INSTALLS[sub] then
            installs = true
          end
        end
      end
      if update and not installs then
        report(update.cmd, ("%s %s without an install in the same RUN leaves a stale, cached package index")
          :format(update.name, update.sub))
      end
    end
  end,
}
