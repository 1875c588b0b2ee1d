-- A package manager is told to install packages it cannot verify.

local function truthy(v)
  v = (v or ""):lower():gsub("^[\"']", ""):gsub("[\"']$", "")
  return v == "1" or v == "true" or v == "yes" or v == "on"
end

-- The subcommands that fetch and install packages (or repository
-- indexes), per family: a flag that turns checking off matters for them
-- only. `apk index --allow-untrusted` builds an index and `apt-get purge
-- --force-yes` removes: neither installs anything.
local FETCHES = {
  apk = { add = true, upgrade = true, fix = true, update = true, fetch = true },
  apt = { install = true, upgrade = true, ["dist-upgrade"] = true, ["full-upgrade"] = true,
          reinstall = true, ["build-dep"] = true, source = true, download = true, update = true },
  rpm = { install = true, reinstall = true, localinstall = true, groupinstall = true, update = true,
          upgrade = true, ["update-minimal"] = true, ["upgrade-minimal"] = true, downgrade = true,
          ["distro-sync"] = true, swap = true, makecache = true, group = true, module = true,
          download = true, builddep = true, ["config-manager"] = true },
  zypper = { install = true, ["in"] = true, update = true, up = true, ["dist-upgrade"] = true, dup = true,
             patch = true, refresh = true, ref = true, ["source-install"] = true, si = true,
             addrepo = true, ar = true },
  pip = { install = true, download = true, wheel = true },
}

-- apt options (name, or -o Key=value keys in lower case) and what they do.
local APT_FLAGS = {
  ["--allow-unauthenticated"] = true, ["--force-yes"] = true, ["--allow-insecure-repositories"] = true,
}
local APT_KEYS = {
  ["apt::get::allowunauthenticated"] = true, ["acquire::allowinsecurerepositories"] = true,
  ["acquire::allowdowngradetoinsecurerepositories"] = true,
}

-- What in a parsed package command turns verification off, or nil.
local function managed(p)
  local family, name = p.family, p.manager
  local what = p.subcommand == "update" and "repository indexes" or "packages"
  local options_list = p.options
  for j = 1, #options_list do
    local o = options_list[j]
    local o_name, value = o.name, o.value
    if family == "apk" and o_name == "--allow-untrusted" then
      return ("apk %s --allow-untrusted accepts %s whose signature is not checked"):format(p.subcommand, what)
    elseif family == "apt" then
      if APT_FLAGS[o_name] then
        return ("%s %s %s accepts %s that could not be authenticated"):format(name, p.subcommand, o_name, what)
      end
      local key, v = (value or ""):match("^([%w:%-_]+)=(.*)$")
      if (o_name == "-o" or o_name == "--option") and key and APT_KEYS[key:lower()] and truthy(v) then
        return ("%s %s -o %s accepts %s that could not be authenticated"):format(name, p.subcommand, value, what)
      end
    elseif family == "rpm" then
      if o_name == "--nogpgcheck" or o_name == "--no-gpgchecks" then
        return ("%s %s %s installs packages without checking their signatures"):format(name, p.subcommand, o_name)
      end
      local v = o_name == "--setopt" and (value or ""):lower():match("gpgcheck=(.*)$")
      if v and not truthy(v) then
        return ("%s %s --setopt=%s installs packages without checking their signatures"):format(name, p.subcommand, value)
      end
    elseif family == "zypper" then
      if o_name == "--no-gpg-checks" or o_name == "--allow-unsigned-rpm" then
        return ("zypper %s %s installs packages without checking their signatures"):format(p.subcommand, o_name)
      end
      if (p.subcommand == "ar" or p.subcommand == "addrepo") and (o_name == "-G" or o_name == "--no-gpgcheck") then
        return ("zypper %s %s adds a repository whose packages are not checked"):format(p.subcommand, o_name)
      end
    elseif family == "pip" and o_name == "--no-verify-hashes" then
      return "pip --no-verify-hashes skips the hash check of a requirements file"
    end
  end
  return nil
end

-- rpm and dpkg (no package parse): their install modes and the flags.
local RPM_MODES = { ["--install"] = true, ["--upgrade"] = true, ["--freshen"] = true, ["--reinstall"] = true }
local RPM_FLAGS = { ["--nosignature"] = true, ["--nodigest"] = true }
local DPKG_MODES = { ["-i"] = true, ["--install"] = true, ["--unpack"] = true, ["-R"] = true, ["--recursive"] = true }
local DPKG_FLAGS = { ["--force-bad-verify"] = true, ["--force-all"] = true }
-- yum-config-manager and dnf-config-manager write repository settings.
local CONFIG_MANAGERS = { ["yum-config-manager"] = true, ["dnf-config-manager"] = true }

local function unmanaged(cmd)
  local w, prog = cmd.words, cmd.program
  local installs, flag = false, nil
  for i = 2, #w do
    local a = w[i]
    if prog == "rpm" then
      installs = installs or RPM_MODES[a] or (a:match("^%-%a+$") and a:find("[iUF]")) ~= nil
      flag = flag or (RPM_FLAGS[a] and a)
    elseif prog == "dpkg" then
      installs = installs or DPKG_MODES[a] == true
      flag = flag or (DPKG_FLAGS[a] and a)
    else -- a config manager
      local v = a:lower():match("^%-%-setopt=.*gpgcheck=(.*)$")
      if v and not truthy(v) then return prog .. " " .. a .. " turns signature checks off for the repository" end
      if a == "--nogpgcheck" then return prog .. " --nogpgcheck adds a repository whose packages are not checked" end
    end
  end
  if installs and flag then
    return ("%s %s installs packages without checking them"):format(prog, flag)
  end
  return nil
end

return {
  id = "package-signature-disabled",
  title = "Package signature checking turned off",
  severity = "high",
  applies_to = "image",
  description = [[
A package manager installs packages (or reads repository indexes) with
signature (GPG) or digest checking off: apk add --allow-untrusted,
apt-get install --allow-unauthenticated / --force-yes / -o
APT::Get::AllowUnauthenticated=true, apt-get update with
Acquire::AllowInsecureRepositories, yum/dnf --nogpgcheck or
--setopt=gpgcheck=0, rpm -i --nosignature/--nodigest, zypper
--no-gpg-checks, or a repository added with its checks off
(zypper addrepo --no-gpgcheck, yum-config-manager --setopt=*.gpgcheck=0).
Signatures are what proves a package comes from its distribution
unmodified; without them a mirror, proxy or attacker in the middle can
substitute any package, and it is installed as root. The flags on a
command that installs nothing (apk index, apt-get purge) are not
reported.]],
  remediation = [[
Remove the flag. If a package comes from a third-party repository, add
that repository's signing key instead, for example on Debian/Ubuntu:
    RUN curl -fsSL https://repo.example.com/key.asc \
          | gpg --dearmor -o /usr/share/keyrings/example.gpg \
     && echo "deb [signed-by=/usr/share/keyrings/example.gpg] https://repo.example.com stable main" \
          > /etc/apt/sources.list.d/example.list
and on Alpine copy the repository's public key into /etc/apk/keys/.]],
  refs = {
    cis = "4.11",
    checkov = { "CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11" },
  },
  check = function(image)
    local commands = image.commands
    for j = 1, #commands do
      local cmd = commands[j]
      local p, problem = cmd.package, nil
      if p then
        local subs = FETCHES[p.family]
        if subs and subs[p.subcommand or ""] then problem = managed(p) end
      else
        local prog = cmd.program
        if prog == "rpm" or prog == "dpkg" or CONFIG_MANAGERS[prog] then problem = unmanaged(cmd) end
      end
      if problem then report(cmd, problem) end
    end
  end,
}
