-- Every package of the base image is upgraded during the build.

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
-- Subcommands that upgrade everything (when no package is named), per family.
local UPGRADES = {
  apt = { upgrade = true, ["dist-upgrade"] = true, ["full-upgrade"] = true },
  apk = { upgrade = true },
  rpm = { upgrade = true, update = true, ["distro-sync"] = true, ["upgrade-minimal"] = true },
  zypper = { update = true, up = true, ["dist-upgrade"] = true, dup = true, patch = true },
}

return {
  id = "package-upgrade-in-build",
  title = "All packages upgraded during the build",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step upgrades every package of the base image (apt-get upgrade or
dist-upgrade, apk upgrade, yum/dnf update or upgrade, zypper update or
dist-upgrade). The result depends on the day of the build, so two
builds of the same Dockerfile differ; a dist-upgrade can move the
image to another release and break it; and the fixes it applies are
hidden from image scanners that judge the image by its base tag.
Privileged packages that cannot be upgraded inside a container (the
kernel, init) make it fail or half-succeed.]],
  remediation = [[
Take fixes from a newer base image instead, and rebuild regularly:
    FROM debian:12.8-slim     # bump the tag (or digest) when a new one is out
Install only named packages, at the versions you need:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends openssl=3.0.15-1~deb12u1 \
     && rm -rf /var/lib/apt/lists/*
If you must patch a base image that is no longer updated, plan to
replace it (see base-image-end-of-life).]],
  refs = {
    hadolint = "DL3035",
    trivy = "DS024",
    kics = { "682fe378", "989ab888", "09fda05e", "8f6456be", "d4895357" },
  },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local p = parse_package_command(cmd)
      if p and UPGRADES[p.family] and UPGRADES[p.family][p.sub or ""] and #p.args == 0 then
        report(cmd, ("%s %s upgrades every package of the base image during the build"):format(p.name, p.sub))
      end
    end
  end,
}
