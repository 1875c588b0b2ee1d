-- TLS certificate checking is turned off for downloads.

-- curl's short options that take a value: in -fsSLo file, "o" ends the cluster.
local CURL_VALUE = "oHdeuXAbcCDEFKmrTwxyYzPQUt"

local function curl_insecure(argv)
  for i = 2, #argv do
    local a = argv[i]
    if a == "--insecure" or a == "--proxy-insecure" then return a end
    if a:sub(1, 1) == "-" and a:sub(2, 2) ~= "-" then
      for c in a:sub(2):gmatch(".") do
        if c == "k" then return "-k" end
        if CURL_VALUE:find(c, 1, true) then break end
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
  GIT_SSL_NO_VERIFY = function(v) return v ~= "" and not falsy(v) end,
  NPM_CONFIG_STRICT_SSL = falsy,
  npm_config_strict_ssl = falsy,
  YARN_STRICT_SSL = falsy,
  PIP_TRUSTED_HOST = function(v) return v ~= "" end,
  CURL_INSECURE = function(v) return v ~= "" and not falsy(v) end,
}

-- The programs command_problem() looks at (and pip*, python*).
local CHECKED = {
  curl = true, wget = true, npm = true, yarn = true, pnpm = true, git = true, yum = true,
  dnf = true, microdnf = true, tdnf = true, export = true,
}

-- What in a command turns checking off, or nil.
local function command_problem(argv)
  argv = shell.words(argv, { sudo = "bare" })
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
    for i = 2, #argv do
      local a = argv[i]
      if a == "--strict-ssl=false" or a == "--no-strict-ssl" or (a == "--strict-ssl" and falsy(argv[i + 1])) then
        return name .. " " .. a .. " accepts any certificate"
      end
      if (a == "strict-ssl" or a:match("^strict%-ssl=")) and (falsy(argv[i + 1]) or falsy(a:match("=(.*)$"))) then
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
  elseif packages.family(name) == "rpm" then -- yum, dnf, microdnf, tdnf
    for i = 2, #argv do
      local v = argv[i]:lower():match("^%-%-setopt=.*sslverify=(.*)$")
      if v and falsy(v) then return name .. " --setopt=sslverify=" .. v .. " accepts any certificate" end
    end
  elseif name == "export" then
    for i = 2, #argv do
      local k, v = argv[i]:match("^([%w_]+)=(.*)$")
      if k and ENV_OFF[k] and ENV_OFF[k](v) then return "export " .. k .. "=" .. v .. " turns certificate checks off" end
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
http.sslVerify false, yum/dnf sslverify=0, or an environment variable that
does the same for every program (NODE_TLS_REJECT_UNAUTHORIZED=0,
PYTHONHTTPSVERIFY=0, GIT_SSL_NO_VERIFY, NPM_CONFIG_STRICT_SSL=false,
PIP_TRUSTED_HOST). Anyone between the build (or the container) and the
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
      for name, value in pairs(subject.env) do
        if ENV_OFF[name] and ENV_OFF[name](value) then
          local where = model.is_image(subject) and "the image" or "container " .. subject.name
          report(subject.env, name, ("%s=%s turns certificate checks off in %s"):format(name, value, where))
        end
      end
      return
    end
    local image = subject
    for _, cmd in ipairs(image.commands) do
      -- command_problem() reads the command after a bare sudo: its program.
      local prog = cmd.program
      if prog and (CHECKED[prog] or prog:sub(1, 3) == "pip" or prog:sub(1, 6) == "python") then
        local problem = command_problem(cmd.argv)
        if problem then report(cmd, problem) end
      end
      if #cmd.env > 0 then
        for name, value in pairs(cmd.env) do
          if ENV_OFF[name] and ENV_OFF[name](value) then
            report(cmd, ("%s=%s turns certificate checks off for this command"):format(name, value))
          end
        end
      end
    end
    -- ENV set in this stage (inherited values are reported where they were written).
    for _, name in ipairs(model.set_names(image, "ENV")) do
      local value = image.env[name]
      if value and ENV_OFF[name] and ENV_OFF[name](value) then
        report(image.env, name, ("ENV %s=%s turns certificate checks off for every program in the image"):format(name, value))
      end
    end
  end,
}
