-- An SSH server is installed or started in the image.

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
local SERVERS = { ["openssh-server"] = true, openssh = true, dropbear = true, ["openssh-server-pam"] = true }

local function runs_sshd(exec)
  for _, word in ipairs(exec and exec.argv or {}) do
    for part in word:gmatch("%S+") do
      local name = part:match("[^/]*$")
      if name == "sshd" or name == "dropbear" then return name end
    end
  end
  return nil
end

return {
  id = "sshd-installed",
  title = "SSH server in the container",
  severity = "medium",
  applies_to = "image",
  description = [[
The image that ships installs an SSH server (openssh-server, dropbear)
or starts sshd. A container should run one process, the application; an SSH
daemon beside it is another service to patch, another way in (usually
with keys or passwords baked into the image), and it bypasses the
auditing and access control that `docker exec` or `kubectl exec` give.]],
  remediation = [[
Remove the SSH server. To get a shell in a running container use
    docker exec -it <container> sh      (or kubectl exec -it <pod> -- sh)
and copy files with `docker cp`. If the image itself is an SSH service
(a bastion, a git server), keep it, and suppress this finding with a
reason: # policy ignore=sshd-installed -- this image is the SSH bastion]],
  refs = {
    cis = "5.7",
  },
  check = function(image, document)
    if not shipped(image, document) then return end -- a test stage may need one
    for _, cmd in ipairs(image.commands) do
      local p = parse_package_command(cmd)
      if p and p.family ~= "pip" and (p.sub == "install" or p.sub == "add" or p.sub == "in") then
        for _, pkg in ipairs(p.args) do
          local name = pkg:match("^([^=<>~]+)") or pkg
          if SERVERS[name] then
            report(cmd, ("%s installs the SSH server %s"):format(p.name, name))
          end
        end
      end
    end
    if image.final then
      for _, field in ipairs({ "entrypoint", "cmd" }) do
        local daemon = runs_sshd(image[field])
        if daemon then
          report(image[field], ("%s starts the SSH daemon %s"):format(field:upper(), daemon))
          break
        end
      end
    end
  end,
}
