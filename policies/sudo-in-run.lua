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
    local ships = model.shipped(image, document)
    for _, cmd in ipairs(image.commands) do
      local name = cmd.name
      if name == "sudo" or name == "doas" then
        report(cmd, ("RUN calls %s; build steps already run as root unless USER changed it"):format(name))
      elseif ships then
        local w = shell.words(cmd.argv, WRAPPERS)
        for _, p in ipairs(installed(w) or {}) do
          if p == "sudo" or p == "doas" then
            report(cmd, ("%s installs %s into the image"):format(w[1], p))
          end
        end
      end
    end
  end,
}
