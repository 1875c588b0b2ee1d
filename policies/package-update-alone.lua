-- The package index is updated in a RUN that installs nothing.

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
    -- A RUN's commands are together in image.commands (RUN by RUN).
    local update, updater, installs, index = nil, nil, false, nil
    local function finish()
      if update and not installs then
        report(updater, ("%s %s without an install in the same RUN leaves a stale, cached package index")
          :format(update.manager, update.subcommand))
      end
    end
    local cmds = image.commands
    for k = 1, #cmds do
      local c = cmds[k]
      if c.instruction ~= index then
        finish()
        update, updater, installs, index = nil, nil, false, c.instruction
      end
      local p = c.package
      if p and UPDATES[p.family] then
        local sub = p.subcommand or ""
        if UPDATES[p.family][sub] then
          if not update then update, updater = p, c end
        elseif INSTALLS[sub] then
          installs = true
        end
      end
    end
    finish()
  end,
}
