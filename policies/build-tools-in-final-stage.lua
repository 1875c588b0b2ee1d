-- Compilers and other build tools are installed in the image that ships.

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
local TOOLS = {
  gcc = true, ["g++"] = true, ["gcc-c++"] = true, clang = true, make = true, cmake = true,
  ["build-essential"] = true, ["build-base"] = true, autoconf = true, automake = true,
  libtool = true, ["pkg-config"] = true, pkgconf = true, golang = true, go = true,
  rustc = true, cargo = true, ["openjdk-17-jdk"] = true, maven = true, gradle = true,
  git = true, curl = true, wget = true,
}
local REMOVE = { remove = true, purge = true, autoremove = true, del = true, erase = true, rm = true }

return {
  id = "build-tools-in-final-stage",
  title = "Build tools left in the final image",
  severity = "low",
  applies_to = "image",
  description = [[
The stage that ships installs compilers and build tools (gcc, make,
build-essential, build-base, git, curl, ...) and does not remove them.
They are needed to build the application, not to run it: in the final
image they add size and vulnerabilities to patch, and they hand an
attacker who gets in a ready toolkit to download and compile more.]],
  remediation = [[
Build in a separate stage and copy only the result into a clean one:
    FROM python:3.13-slim AS build
    RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev
    RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
    FROM python:3.13-slim
    COPY --from=build /wheels /wheels
    RUN pip install --no-cache-dir /wheels/* && rm -rf /wheels
If a tool must be installed in the final stage for one step, remove it
in the same RUN (apk add --virtual .build-deps gcc ... && apk del .build-deps).]],
  refs = {
    cis = "4.3",
  },
  check = function(image, document)
    if not shipped(image, document) then return end
    -- What later commands of the stage remove (packages or apk virtual names).
    local removed = {}
    local parsed = {}
    for i, cmd in ipairs(image.commands) do
      local p = parse_package_command(cmd)
      parsed[i] = p
      if p and REMOVE[p.sub or ""] then
        for _, name in ipairs(p.args) do removed[name] = i end
      end
    end
    for i, cmd in ipairs(image.commands) do
      local p = parsed[i]
      if p and p.family ~= "pip" and (p.sub == "install" or p.sub == "add" or p.sub == "in") then
        local virtual = option(p, "--virtual", "-t")
        local group = virtual and p.name == "apk" and virtual[2]
        if not (group and removed[group] and removed[group] > i) then
          local found = {}
          for _, pkg in ipairs(p.args) do
            local name = pkg:match("^([^=<>~]+)") or pkg
            if TOOLS[name] and not (removed[name] and removed[name] > i) then found[#found + 1] = name end
          end
          if #found > 0 then
            report(cmd, ("%s installs %s in the image that ships; build in a separate stage")
              :format(p.name, table.concat(found, ", ")))
          end
        end
      end
    end
  end,
}
