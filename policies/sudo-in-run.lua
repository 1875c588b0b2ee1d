-- sudo is used in a RUN step, or installed into the image.

-- The words of a command with the wrappers (env, command, exec, time,
-- nice, nohup) before it left out; the first without its directory.
local function words(cmd)
  local argv, i = cmd.argv, 1
  while argv[i] do
    local name = argv[i]:match("[^/]*$")
    if name == "env" then
      i = i + 1
      while argv[i] and (argv[i]:find("=", 1, true) or argv[i]:sub(1, 1) == "-") do i = i + 1 end
    elseif name == "command" or name == "exec" or name == "nohup" or name == "time" then
      i = i + 1
    else
      break
    end
  end
  local w = {}
  for k = i, #argv do w[#w + 1] = argv[k] end
  if w[1] then w[1] = w[1]:match("[^/]*$") end
  return w
end

-- Options that take a value, per package manager.
local VALUE_OPTS = {
  apt = { ["-o"] = true, ["-c"] = true, ["-t"] = true, ["--option"] = true,
          ["--config-file"] = true, ["--target-release"] = true },
  apk = { ["-t"] = true, ["-X"] = true, ["-p"] = true, ["--virtual"] = true,
          ["--repository"] = true, ["--root"] = true, ["--arch"] = true },
  rpm = { ["-c"] = true, ["-d"] = true, ["-e"] = true, ["-x"] = true, ["-R"] = true,
          ["--installroot"] = true, ["--releasever"] = true, ["--exclude"] = true,
          ["--setopt"] = true, ["--enablerepo"] = true, ["--disablerepo"] = true },
  zypper = { ["-r"] = true, ["-t"] = true, ["--repo"] = true, ["--type"] = true },
}
local MANAGERS = {
  ["apt-get"] = { "apt", { install = true } }, apt = { "apt", { install = true } },
  aptitude = { "apt", { install = true } }, apk = { "apk", { add = true } },
  yum = { "rpm", { install = true } }, dnf = { "rpm", { install = true } },
  microdnf = { "rpm", { install = true } }, tdnf = { "rpm", { install = true } },
  zypper = { "zypper", { install = true, ["in"] = true } },
}

-- The packages a command installs, or nil when it installs nothing.
local function installed(w)
  local m = MANAGERS[w[1] or ""]
  if not m then return nil end
  local value_opts, sub, pkgs = VALUE_OPTS[m[1]], nil, {}
  local i = 2
  while w[i] do
    local a = w[i]
    if a:sub(1, 1) == "-" then
      if value_opts[a] then i = i + 1 end
    elseif sub == nil then
      sub = a
      if not m[2][sub] then return nil end
    else
      pkgs[#pkgs + 1] = a:match("^([^=<>:]+)") or a
    end
    i = i + 1
  end
  return sub and pkgs or nil
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
return {
  id = "sudo-in-run",
  title = "sudo used or installed in the image",
  severity = "high",
  applies_to = "image",
  description = [[
A RUN step calls sudo, or a stage that ships installs the sudo package.
Build steps already run as root until a USER instruction changes that,
so sudo is never needed to build; left in the image it gives any process
that gets in a way to become root again (a sudoers entry, a weak or
known password), and it behaves badly without a terminal (prompts,
signal handling).]],
  remediation = [[
Run the steps that need root before switching to the unprivileged user,
or switch back for them:
    USER root
    RUN apt-get update && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*
    USER 10001
Do not install sudo. If a process must do one privileged thing at run
time, give it that one capability (or use gosu/su-exec in an entrypoint
that drops privileges) instead.]],
  refs = {
    hadolint = "DL3004",
    trivy = "DS010",
    kics = "8ada6e80",
    checkov = "CKV2_DOCKER_1",
  },
  check = function(image, document)
    -- Installing sudo matters in the image that ships; calling it, anywhere.
    local ships = shipped(image, document)
    for _, cmd in ipairs(image.commands) do
      local name = (cmd.argv[1] or ""):match("[^/]*$")
      if name == "sudo" or name == "doas" then
        report(cmd, ("RUN calls %s; build steps already run as root unless USER changed it"):format(name))
      elseif ships then
        local pkgs = installed(words(cmd))
        for _, p in ipairs(pkgs or {}) do
          if p == "sudo" or p == "doas" then
            report(cmd, ("%s installs %s into the image"):format(words(cmd)[1], p))
          end
        end
      end
    end
  end,
}
