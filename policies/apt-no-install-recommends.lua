-- apt-get install pulls in recommended packages too.

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
local function off(v)
  v = (v or ""):lower():gsub("[\"';]", "")
  return v == "false" or v == "0" or v == "no" or v == "off"
end

-- True when an earlier command of the stage configured apt to skip
-- recommends (echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/...).
local function configured_off(image, before)
  for _, c in ipairs(image.commands) do
    if c == before then return false end
    for i = 2, #c.argv do
      local a = c.argv[i]:lower()
      if a:find("install%-recommends") and (a:find("[\" =]false") or a:find("[\" =]0[\";]") or a:find("[\" =]0$")) then
        return true
      end
    end
  end
  return false
end

return {
  id = "apt-no-install-recommends",
  title = "apt-get install without --no-install-recommends",
  severity = "low",
  applies_to = "image",
  description = [[
apt-get install runs without --no-install-recommends, so besides the
packages you asked for it installs every package they merely recommend:
often dozens of extra programs and libraries. Each one makes the image
bigger and is more code that can have vulnerabilities and must be
patched, for nothing the application uses.]],
  remediation = [[
Add --no-install-recommends, and name any recommended package you do
need explicitly:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends python3 ca-certificates \
     && rm -rf /var/lib/apt/lists/*
(or set it once: RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/90norecommends)]],
  refs = {
    cis = "4.3",
    hadolint = "DL3015",
    trivy = "DS029",
    kics = "7384dfb2",
  },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local p = parse_package_command(cmd)
      if p and (p.name == "apt-get" or p.name == "apt") and p.sub == "install"
         and not option(p, "--no-install-recommends") then
        local set_off = false
        for _, opt in ipairs(p.opts) do
          if (opt[1] == "-o" or opt[1] == "--option") then
            local key, v = (opt[2] or ""):match("^([^=]+)=(.*)$")
            if key and key:lower() == "apt::install-recommends" and off(v) then set_off = true end
          end
        end
        if not set_off and not configured_off(image, cmd) then
          report(cmd, p.name .. " install also installs the recommended packages; add --no-install-recommends")
        end
      end
    end
  end,
}
