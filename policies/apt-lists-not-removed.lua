-- apt's package lists are left in the image.

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
-- True when the stage ends up in the image that is built: the final stage
-- or one it is built FROM (directly or through other stages). The stages
-- of one Dockerfile are consecutive in document.images.
local function shipped(image, document)
  local offset = 0
  for p, im in ipairs(document.images) do
    if im == image then offset = p - 1 - image.index break end
  end
  local k = offset + 1
  while document.images[k] and document.images[k].index == k - offset - 1 do
    local stage = document.images[k]
    if stage.final then
      while stage do
        if stage.index == image.index then return true end
        stage = stage.parent and document.images[offset + stage.parent + 1] or nil
      end
      return false
    end
    k = k + 1
  end
  return false
end
-- True when a command of the RUN removes the lists (rm ... /var/lib/apt/lists/*).
local function removes_lists(run)
  for _, c in ipairs(run) do
    local name = (c.argv[1] or ""):match("[^/]*$")
    if name == "rm" then
      for i = 2, #c.argv do
        if c.argv[i]:find("^/var/lib/apt/lists") or c.argv[i]:find("^/var/lib/apt/?%*?$") then return true end
      end
    end
    local p = parse_package_command(c)
    if p and p.family == "apt" and (p.sub == "dist-clean" or p.sub == "distclean") then return true end
  end
  return false
end

return {
  id = "apt-lists-not-removed",
  title = "apt package lists left in the image",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step in a stage that ships runs apt-get update (or install) but
does not delete /var/lib/apt/lists in the same step. The package index
(tens of megabytes) then stays in that layer for good: a later RUN that
deletes it only hides it. It also records a stale view of the
repositories that a later apt-get install in a derived image may use.]],
  remediation = [[
Update, install and clean up in one RUN:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*
or keep the lists out of the layer with a cache mount:
    RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
        apt-get update && apt-get install -y --no-install-recommends curl]],
  refs = {
    hadolint = "DL3009",
    kics = "df746b39",
  },
  check = function(image, document)
    if not shipped(image, document) then return end
    local runs, order = runs_of(image)
    for _, index in ipairs(order) do
      local run = runs[index]
      for _, c in ipairs(run) do
        local p = parse_package_command(c)
        if p and p.family == "apt" and (p.sub == "update" or p.sub == "install") then
          if not removes_lists(run) and not cache_mounted(image, index, "/var/lib/apt/lists") then
            report(c, ("%s %s leaves /var/lib/apt/lists in the layer; remove it in the same RUN"):format(p.name, p.sub))
          end
          break -- one finding per RUN
        end
      end
    end
  end,
}
