-- sudo is used in a RUN step, or installed into the image.

-- The wrappers skipped in front of a package manager (sudo itself is reported).
local WRAPPERS = { env = true, command = "bare", exec = "bare", nohup = "bare", time = "bare" }

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
-- The system package managers installed() reads.
local SYSTEM = {
  ["apt-get"] = true, apt = true, aptitude = true, apk = true, yum = true, dnf = true,
  microdnf = true, tdnf = true, zypper = true,
}

-- The subcommands that install, per family (the others: install).
local INSTALL = { apk = { add = true }, zypper = { install = true, ["in"] = true } }
local INSTALL_DEFAULT = { install = true }

-- The packages a command installs (its words, from shell.words), or nil
-- when it installs nothing. Options are read more simply than
-- packages.parse reads them: no value inside a cluster (-yt release).
local function installed(w)
  local family = packages.family(w[1] or "")
  if family == nil or family == "pip" then return nil end
  local subs, value_opts, sub, pkgs = INSTALL[family] or INSTALL_DEFAULT, VALUE_OPTS[family], nil, {}
  local i = 2
  while w[i] do
    local a = w[i]
    if a:sub(1, 1) == "-" then
      if value_opts[a] then i = i + 1 end
    elseif sub == nil then
      sub = a
      if not subs[sub] then return nil end
    else
      pkgs[#pkgs + 1] = a:match("^([^=<>:]+)") or a
    end
    i = i + 1
  end
  return sub and pkgs or nil
end

local NONROOT = images.index(data and data.nonroot_images)

local start_user

-- The user a stage (an entry of model.chains) ends with: its last USER,
-- else the one it started with (start_user).
local function end_user(e)
  if e.last_user then return { user = e.last_user, known = true } end
  return start_user(e)
end

-- The user the stage's first step runs as (an entry of model.chains),
-- as {user = name or nil, known = true when it is known}: the user its
-- parent stage ended with, else the base image's user when the pack knows
-- it runs the build as another user than root, else unknown. Only a
-- finding needs it, so it is worked out then.
start_user = function(e)
  if e.parent then return end_user(e.parent) end
  local known = e.base and images.lookup(e.base, data and data.nonroot_images, NONROOT)
  if known and known.user and not known.steps_down and not tostring(known.user):match("^root") then
    return { user = tostring(known.user), known = true, base = true }
  end
  return { user = nil, known = false }
end

-- True when a word of the command may name sudo or doas as a package
-- (installed() keeps a word's part before any of =<>:): the cheap test
-- before the command is read as a package manager's.
local function names_sudo(argv)
  for i = 2, #argv do
    local head = argv[i]:sub(1, 4)
    if head == "sudo" or head == "doas" then return true end
  end
  return false
end

-- What a finding about sudo in a RUN says, from the user it runs as.
local function sudo_message(name, who)
  if who.known and not model.is_root_user(who.user) then
    return ("RUN calls %s to act as root while the stage runs as %s%s: switch with USER root for "
      .. "these steps and back after them, and keep %s out of the image")
      :format(name, who.user, who.base and " (its base image's user)" or "", name)
  elseif who.known then
    return ("RUN calls %s, but this step already runs as root (USER %s)"):format(name, who.user)
  end
  return ("RUN calls %s; no USER switched away from root before it, so unless the base image "
    .. "sets another user this step already runs as root"):format(name)
end

return {
  id = "sudo-in-run",
  title = "sudo used or installed in the image",
  severity = "high",
  applies_to = "document",
  description = [[
A RUN step calls sudo, or a stage that ships installs the sudo package.
Build steps run as root until a USER instruction changes that, so sudo
is not needed to build: where a USER (or a base image that runs as
another user) switched away from root, USER root switches back for the
steps that need it; left in the image it gives any process
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
  check = function(document)
    local chains = model.chains(document)
    for j = 1, #chains do
      local e = chains[j]
      local image = e.image
      -- Installing sudo matters in the image that ships; calling it, anywhere.
      local ships = model.shipped(image, document)
      local user -- the last USER seen, or nil: then the stage's start_user
      local cmds, k = image.commands, 1
      local instructions = image.instructions
      for i = 1, #instructions do
        local instr = instructions[i]
        local keyword = instr.keyword
        if keyword == "USER" and instr.value then
          user = instr.value
        elseif keyword == "RUN" then
          while cmds[k] and cmds[k].instruction < i - 1 do k = k + 1 end
          local called = false -- one finding per RUN for calling sudo
          local cmd = cmds[k]
          while cmd and cmd.instruction == i - 1 do
            k = k + 1
            local name = cmd.name
            if name == "sudo" or name == "doas" then
              if not called then
                local who = user and { user = user, known = true } or start_user(e)
                report(cmd, sudo_message(name, who))
              end
              called = true
            elseif ships and SYSTEM[cmd.program] and names_sudo(cmd.argv) then
              -- installed() judges the words after the wrappers above, whose
              -- first is then the command's program (the model skips more
              -- wrappers, never fewer): no other command can install anything.
              local w = shell.words(cmd.argv, WRAPPERS)
              local packages_installed = installed(w) or {}
              for k = 1, #packages_installed do
                local p = packages_installed[k]
                if p == "sudo" or p == "doas" then
                  report(cmd, ("%s installs %s into the image"):format(w[1], p))
                end
              end
            end
            cmd = cmds[k]
          end
        end
      end
      e.last_user = user
    end
  end,
}
