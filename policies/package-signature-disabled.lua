-- A package manager is told to install packages it cannot verify.

local function truthy(v)
  v = (v or ""):lower():gsub("^[\"']", ""):gsub("[\"']$", "")
  return v == "1" or v == "true" or v == "yes" or v == "on"
end

-- The programs problem() looks at (and pip, pip3, pip3.12).
local MANAGERS = {
  apk = true, ["apt-get"] = true, apt = true, aptitude = true, yum = true, dnf = true,
  microdnf = true, tdnf = true, rpm = true, zypper = true, dpkg = true,
}

-- What in a package manager's arguments turns verification off, or nil.
local function problem(argv)
  argv = shell.words(argv, { sudo = "bare" })
  local name = argv[1] or ""
  local family = packages.family(name)
  for i = 2, #argv do
    local a, nxt = argv[i], argv[i + 1]
    if name == "apk" and a == "--allow-untrusted" then
      return "apk --allow-untrusted installs packages whose signature is not checked"
    elseif family == "apt" then
      if a == "--allow-unauthenticated" or a == "--allow-insecure-repositories" or a == "--force-yes" then
        return name .. " " .. a .. " installs packages that could not be authenticated"
      end
      local opt = (a == "-o" or a == "--option") and nxt or a:match("^%-o(.+)$") or a:match("^%-%-option=(.+)$")
      if opt then
        local key, value = opt:match("^([%w:%-_]+)=(.*)$")
        key = key and key:lower()
        if key and (key == "apt::get::allowunauthenticated" or key == "acquire::allowinsecurerepositories"
                    or key == "acquire::allowdowngradetoinsecurerepositories") and truthy(value) then
          return name .. " -o " .. opt .. " installs packages that could not be authenticated"
        end
      end
    elseif family == "rpm" then -- yum, dnf, microdnf, tdnf
      if a == "--nogpgcheck" or a == "--no-gpgchecks" then
        return name .. " " .. a .. " installs packages without checking their signatures"
      end
      local v = a:lower():match("^%-%-setopt=.*gpgcheck=(.*)$")
      if v and not truthy(v) then
        return name .. " " .. a .. " installs packages without checking their signatures"
      end
    elseif name == "rpm" then
      if a == "--nosignature" or a == "--nodigest" or a == "--nosig" or a == "--noverify" then
        return "rpm " .. a .. " installs packages without checking them"
      end
    elseif name == "zypper" then
      if a == "--no-gpg-checks" or a == "--allow-unsigned-rpm" then
        return "zypper " .. a .. " installs packages without checking their signatures"
      end
    elseif name == "pip" or name:match("^pip%d") then
      if a == "--no-verify-hashes" then
        return "pip --no-verify-hashes skips the hash check of a requirements file"
      end
    elseif name == "dpkg" then
      if a == "--force-bad-verify" or a == "--force-all" then
        return "dpkg " .. a .. " installs packages that failed verification"
      end
    end
  end
  return nil
end

return {
  id = "package-signature-disabled",
  title = "Package signature checking turned off",
  severity = "high",
  applies_to = "image",
  description = [[
A package manager runs with signature (GPG) or digest checking off: apk
--allow-untrusted, apt-get --allow-unauthenticated / --force-yes / -o
APT::Get::AllowUnauthenticated=true, yum/dnf --nogpgcheck or
--setopt=gpgcheck=0, rpm --nosignature/--nodigest, zypper
--no-gpg-checks. Signatures are what proves a package comes from its
distribution unmodified; without them a mirror, proxy or attacker in the
middle can substitute any package, and it is installed as root.]],
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
    for _, cmd in ipairs(image.commands) do
      -- problem() reads the command after a bare sudo: its program.
      local prog = cmd.program
      if prog and (MANAGERS[prog] or prog:sub(1, 3) == "pip") then
        local p = problem(cmd.argv)
        if p then report(cmd, p) end
      end
    end
  end,
}
