-- TLS certificate checking is turned off for downloads.

-- curl's short options that take a value: in -fsSLo file, "o" ends the
-- cluster (a character class of CURL_VALUE's letters).
local CURL_VALUE = "[oHdeuXAbcCDEFKmrTwxyYzPQUt]"

local byte, sub, find = string.byte, string.sub, string.find

local function curl_insecure(argv)
  for i = 2, #argv do
    local a = argv[i]
    if a == "--insecure" or a == "--proxy-insecure" then return a end
    local b1, b2 = byte(a, 1, 2)
    if b1 == 45 and b2 ~= 45 then -- "-x...", not "--"
      -- -k in the cluster before any option that takes a value.
      local k = find(a, "k", 2, true)
      if k then
        local v = find(a, CURL_VALUE, 2)
        if v == nil or v > k then return "-k" end
      end
    end
  end
end

local function falsy(v)
  v = (v or ""):lower()
  return v == "false" or v == "0" or v == "no" or v == "off"
end

-- Environment variables that turn checking off, and the values that do.
local ENV_OFF = {
  NODE_TLS_REJECT_UNAUTHORIZED = function(v) return v == "0" end,
  PYTHONHTTPSVERIFY = function(v) return v == "0" end,
  -- git turns checks off when the variable is set at all, to any value.
  GIT_SSL_NO_VERIFY = function() return true end,
  NPM_CONFIG_STRICT_SSL = falsy,
  npm_config_strict_ssl = falsy,
  YARN_STRICT_SSL = falsy,
  PIP_TRUSTED_HOST = function(v) return v ~= "" end,
  CURL_INSECURE = function(v) return v ~= "" and not falsy(v) end,
}

-- True when a map (image.env, image.args; nil is empty) sets a variable
-- of ENV_OFF to a value that turns checks off: the loops over the
-- stage's own ENV and ARG instructions below report only such a pair.
local function any_off(map)
  for name, value in pairs(map or {}) do
    if ENV_OFF[name] and ENV_OFF[name](value) then return true end
  end
  return false
end

-- The programs command_problem() looks at (and pip*, python*).
local CHECKED = {
  curl = true, wget = true, npm = true, yarn = true, pnpm = true, git = true, yum = true,
  dnf = true, microdnf = true, tdnf = true, export = true,
  ["yum-config-manager"] = true, ["dnf-config-manager"] = true,
}

-- How a finding shows name=value: GIT_SSL_NO_VERIFY counts whatever its
-- value, even an empty or "false" one, and the words say so.
local function setting(name, value)
  return name .. "=" .. value
end

-- What a finding about the variable adds at its end.
local function note(name)
  if name == "GIT_SSL_NO_VERIFY" then return " (git skips them when the variable is set at all, whatever its value)" end
  return ""
end

-- npm, yarn and pnpm subcommands that write a setting (strict-ssl false
-- as words means a setting only there; `npm install strict-ssl false`
-- installs two packages).
local CONFIG_SUBCOMMANDS = { config = true, c = true, set = true }

-- shell.words' wrappers for command_problem: only a bare sudo.
local SUDO_BARE = { sudo = "bare" }

-- What in a command turns checking off, or nil.
local function command_problem(argv)
  argv = shell.words(argv, SUDO_BARE)
  local name = argv[1] or ""
  if name == "curl" then
    local opt = curl_insecure(argv)
    if opt then return "curl " .. opt .. " accepts any certificate" end
  elseif name == "wget" then
    if model.has(argv, "--no-check-certificate") then
      return "wget --no-check-certificate accepts any certificate"
    end
  elseif name:match("^pip[%d.]*$") or (name:match("^python[%d.]*$") and argv[2] == "-m" and paths.base(argv[3]):match("^pip")) then
    for i = 2, #argv do
      if argv[i] == "--trusted-host" or argv[i]:match("^%-%-trusted%-host=") then
        return "pip --trusted-host turns off certificate checks for that host"
      end
    end
    if model.has(argv, "config") and (model.has(argv, "global.trusted-host") or model.has(argv, "install.trusted-host")) then
      return "pip config sets trusted-host, which turns off certificate checks"
    end
  elseif name == "npm" or name == "yarn" or name == "pnpm" then
    local sub = nil -- the first word that is not an option
    for i = 2, #argv do
      local a = argv[i]
      if a == "--strict-ssl=false" or a == "--no-strict-ssl" or (a == "--strict-ssl" and falsy(argv[i + 1])) then
        return name .. " " .. a .. " accepts any certificate"
      end
      if sub == nil and a:sub(1, 1) ~= "-" then
        sub = a
      elseif CONFIG_SUBCOMMANDS[sub] and (a == "strict-ssl" or a:match("^strict%-ssl="))
             and (falsy(argv[i + 1]) or falsy(a:match("=(.*)$"))) then
        return name .. " config strict-ssl false accepts any certificate"
      end
    end
  elseif name == "git" then
    for i = 2, #argv do
      local a = argv[i]:lower()
      local key, value = a:match("^(http[%w.:/%-]*%.sslverify)=(.*)$")
      if key and falsy(value) then return "git " .. key .. "=false accepts any certificate" end
      if a:match("^http[%w.:/%-]*%.sslverify$") and falsy(argv[i + 1]) then
        return "git config http.sslVerify false accepts any certificate"
      end
    end
  elseif packages.family(name) == "rpm" or name == "yum-config-manager" or name == "dnf-config-manager" then
    for i = 2, #argv do
      local v = argv[i]:lower():match("^%-%-setopt=.*sslverify=(.*)$")
      if v and falsy(v) then
        local sub = argv[2] == "config-manager" and " config-manager" or ""
        return name .. sub .. " " .. argv[i] .. " accepts any certificate"
      end
    end
  elseif name == "export" then
    for i = 2, #argv do
      local k, v = argv[i]:match("^([%w_]+)=(.*)$")
      if k and ENV_OFF[k] and ENV_OFF[k](v) then return "export " .. setting(k, v) .. " turns certificate checks off" .. note(k) end
    end
  end
  return nil
end

return {
  id = "tls-verification-disabled",
  title = "TLS certificate verification turned off",
  severity = "high",
  applies_to = { "image", "container" },
  description = [[
A download runs with certificate checking off: curl -k/--insecure, wget
--no-check-certificate, pip --trusted-host, npm/yarn strict-ssl false, git
http.sslVerify false, yum/dnf (or yum-config-manager) sslverify=0, or
an environment variable that does the same for every program
(NODE_TLS_REJECT_UNAUTHORIZED=0, PYTHONHTTPSVERIFY=0,
NPM_CONFIG_STRICT_SSL=false, PIP_TRUSTED_HOST, and GIT_SSL_NO_VERIFY with
any value at all: git skips its checks when the variable is set, even to
"false"), set with ENV, as a build argument (ARG, Compose build.args:
every RUN sees it) or in a container's environment. Anyone between the build (or the container) and the
server can then serve their own code or packages, and they will be
installed without complaint.]],
  remediation = [[
Remove the flag or variable. If a server uses a private certificate
authority, trust that authority instead of turning checks off:
    COPY corp-root-ca.crt /usr/local/share/ca-certificates/
    RUN update-ca-certificates
(for Node.js also set NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/corp-root-ca.crt;
for pip, PIP_CERT or --cert).]],
  refs = {
    cis = "4.11",
    checkov = { "CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6",
                "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16" },
  },
  check = function(subject)
    if not model.is_stage(subject) then
      -- A container, or an image from docker inspect: every variable.
      local where = model.is_image(subject) and "the image" or model.describe(subject)
      for name, value in pairs(subject.env) do
        if value ~= nil and ENV_OFF[name] and ENV_OFF[name](value) then
          report(subject.env, name, ("%s turns certificate checks off in %s%s"):format(setting(name, value), where, note(name)))
        end
      end
      -- Compose build arguments are in the environment of every RUN.
      local args = not model.is_image(subject) and subject.build and subject.build.args
      for name, value in pairs(args or {}) do
        if value ~= nil and ENV_OFF[name] and ENV_OFF[name](value) then
          report(args, name, ("build argument %s turns certificate checks off for the build of %s%s")
            :format(setting(name, value), where, note(name)))
        end
      end
      return
    end
    local image = subject
    local commands = image.commands
    for j = 1, #commands do
      local cmd = commands[j]
      -- command_problem() reads the command after a bare sudo: its program.
      local prog = cmd.program
      if prog and (CHECKED[prog] or byte(prog, 1) == 112 -- "p"
                   and (sub(prog, 1, 3) == "pip" or sub(prog, 1, 6) == "python")) then
        local problem = command_problem(cmd.argv)
        if problem then report(cmd, problem) end
      end
      if #cmd.env > 0 then
        for name, value in pairs(cmd.env) do
          if ENV_OFF[name] and ENV_OFF[name](value) then
            report(cmd, ("%s turns certificate checks off for this command%s"):format(setting(name, value), note(name)))
          end
        end
      end
    end
    -- ENV set in this stage (inherited values are reported where they were written).
    local env_names = any_off(image.env) and model.set_names(image, "ENV") or {}
    for j = 1, #env_names do
      local name = env_names[j]
      local value = image.env[name]
      if value and ENV_OFF[name] and ENV_OFF[name](value) then
        report(image.env, name, ("ENV %s turns certificate checks off for every program in the image%s")
          :format(setting(name, value), note(name)))
      end
    end
    -- ARG with a value: an environment variable of every later RUN.
    local arg_instrs = any_off(image.args) and model.instructions(image, "ARG") or {}
    for j = 1, #arg_instrs do
      local instr = arg_instrs[j]
      local args_list = instr.args
      for k = 1, #args_list do
        local word = args_list[k]
        local name = word:match("^([^=]+)") or word
        local value = image.args and image.args[name]
        if value ~= nil and ENV_OFF[name] and ENV_OFF[name](value) then
          report(instr, ("ARG %s turns certificate checks off for the RUN steps after it%s")
            :format(setting(name, value), note(name)))
        end
      end
    end
  end,
}
