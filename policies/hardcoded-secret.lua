-- A credential is written into a RUN, CMD, ENTRYPOINT, HEALTHCHECK or LABEL.

-- Words of a name: AWS_SECRET_ACCESS_KEY -> AWS SECRET ACCESS KEY; apiKey -> API KEY.
local function name_words(name)
  local w = {}
  local spaced = name:gsub("(%l)(%u)", "%1 %2")
  for part in spaced:gmatch("[%w]+") do w[#w + 1] = part:upper() end
  return w
end

local SECRET_WORD = {
  PASSWORD = true, PASSWD = true, PASS = true, PASSPHRASE = true, PWD = false,
  SECRET = true, SECRETS = true, TOKEN = true, TOKENS = true, APIKEY = true,
  CREDENTIAL = true, CREDENTIALS = true, PRIVATEKEY = true, AUTHKEY = true,
}
local KEY_KIND = { API = true, ACCESS = true, PRIVATE = true, AUTH = true, ENCRYPTION = true,
                   SIGNING = true, MASTER = true, CLIENT = true, SECRET = true, LICENSE = true }
-- A last word that makes the variable about a secret, not the secret itself.
local NOT_VALUE = { FILE = true, PATH = true, DIR = true, URL = true, URI = true, NAME = true,
                    ID = true, LENGTH = true, LEN = true, TYPE = true, ENABLED = true,
                    EXPIRY = true, EXPIRES = true, TTL = true, HEADER = true, FIELD = true,
                    ENV = true, VAR = true, POLICY = true, ALGORITHM = true, SIZE = true,
                    MIN = true, MAX = true, HOST = true, PORT = true, USER = true,
                    USERNAME = true, LOCATION = true, MOUNT = true, PROVIDER = true,
                    ENDPOINT = true, REGION = true, COMMAND = true, CMD = true, HASH = false }

local function secret_name(name)
  local w = name_words(name)
  if #w == 0 or NOT_VALUE[w[#w]] then return false end
  for i, word in ipairs(w) do
    if SECRET_WORD[word] then return true end
    if word == "KEY" and i > 1 and KEY_KIND[w[i - 1]] then return true end
  end
  return false
end

-- Values that are certainly credentials, whatever the name: {pattern, what}.
local function rep(class, n) return class:rep(n) end
local VALUE_PATTERNS = {
  { "%f[%w]A[KS]IA" .. rep("[0-9A-Z]", 16) .. "%f[^%w]", "an AWS access key id" },
  { "%-%-%-%-%-BEGIN[%u ]* PRIVATE KEY%-%-%-%-%-", "a private key" },
  { "%f[%w]gh[pousr]_" .. rep("[%w]", 36), "a GitHub token" },
  { "%f[%w]github_pat_" .. rep("[%w_]", 40), "a GitHub token" },
  { "%f[%w]glpat%-" .. rep("[%w_%-]", 20), "a GitLab token" },
  { "%f[%w]xox[abprs]%-" .. rep("[%w%-]", 10), "a Slack token" },
  { "%f[%w][sr]k_live_" .. rep("[%w]", 20), "a Stripe key" },
  { "%f[%w]AIza" .. rep("[%w_%-]", 35), "a Google API key" },
  { "%f[%w]npm_" .. rep("[%w]", 36), "an npm token" },
  { "%f[%w]eyJ[%w_%-]+%.eyJ[%w_%-]+%.[%w_%-]+", "a JSON Web Token" },
}

-- What kind of secret a value is, or nil.
local function secret_value(value)
  for _, p in ipairs(VALUE_PATTERNS) do
    if value:find(p[1]) then return p[2] end
  end
  local pw = value:match("%a[%w+.%-]*://[^/%s:@]+:([^/%s@]+)@")
  if pw and not pw:match("^%$") and not pw:match("^%*+$") then return "a password in a URL" end
  return nil
end

-- Command-line options whose value is a credential.
local SECRET_OPTIONS = {
  ["--password"] = true, ["--passwd"] = true, ["--pass"] = true, ["--token"] = true,
  ["--api-key"] = true, ["--apikey"] = true, ["--secret"] = true, ["--client-secret"] = true,
  ["--access-key"] = true, ["--secret-key"] = true, ["--auth-token"] = true,
  ["--registry-password"] = true, ["--db-password"] = true,
}

local function literal(value)
  return value and value ~= "" and not value:match("^%$") and not value:match("^%-")
end

-- Why an argument list carries a credential, or nil.
local function in_argv(argv)
  for i = 1, #argv do
    local a = argv[i]
    local kind = secret_value(a)
    if kind then return ("%s in its arguments"):format(kind) end
    local opt, value = a:match("^(%-%-[%w%-]+)=(.*)$")
    if not opt then opt, value = a, argv[i + 1] end
    if SECRET_OPTIONS[opt] and literal(value) then
      return ("a literal %s on the command line"):format(opt)
    end
  end
  -- curl -u user:password, with a literal password.
  local name = (argv[1] or ""):match("[^/]*$")
  if name == "curl" then
    for i = 2, #argv do
      local v = (argv[i] == "-u" or argv[i] == "--user") and argv[i + 1]
      local pw = v and v:match("^[^:]+:(.+)$")
      if pw and literal(pw) then return "a user:password given to curl -u" end
    end
  end
  return nil
end

return {
  id = "hardcoded-secret",
  title = "Credential written into the Dockerfile",
  severity = "high",
  applies_to = "image",
  description = [[
A RUN, CMD, ENTRYPOINT or HEALTHCHECK command, or a LABEL, contains what
looks like a credential: an AWS access key, a private key, a GitHub,
GitLab, Slack, Stripe, Google or npm token, a JSON Web Token, a password
inside a URL (https://user:password@host), a literal value for an option
such as --password or --token, or `curl -u user:password`. The text of
every instruction is stored in the image's history and in version
control, so whoever can pull the image or read the repository has the
credential.]],
  remediation = [[
Take the credential out of the file and rotate it. To use a credential
while building, mount it as a build secret:
    RUN --mount=type=secret,id=git_token,env=GIT_TOKEN \
        git clone https://oauth2:${GIT_TOKEN}@git.example.com/team/repo.git
    docker build --secret id=git_token,env=GIT_TOKEN .
To use one at run time, read it from a secret file or an environment
variable set when the container starts, never from the image.]],
  refs = {
    cis = "4.10",
    kics = "a88baa34",
  },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local reason = in_argv(cmd.argv)
      if reason then report(cmd, "RUN has " .. reason) end
      for name, value in pairs(cmd.env) do
        local kind = secret_value(value)
        if kind then
          report(cmd, ("RUN sets %s to %s"):format(name, kind))
        elseif secret_name(name) and literal(value) then
          report(cmd, ("RUN sets %s, which looks like a secret, to a literal value"):format(name))
        end
      end
    end
    -- CMD, ENTRYPOINT and HEALTHCHECK are inherited: look at the stage that ships.
    for _, field in ipairs(image.final and { "cmd", "entrypoint" } or {}) do
      local exec = image[field]
      if exec and exec.form == "exec" then
        local reason = in_argv(exec.argv)
        if reason then report(exec, field:upper() .. " has " .. reason) end
      elseif exec then
        local kind = secret_value(exec.argv[#exec.argv] or "")
        if kind then report(exec, ("%s has %s"):format(field:upper(), kind)) end
      end
    end
    local hc = image.final and image.healthcheck
    if hc and hc.test then
      for i = 2, #hc.test do
        local kind = secret_value(hc.test[i])
        if kind then report(hc, "HEALTHCHECK has " .. kind) break end
      end
    end
    -- LABELs set by this stage (an inspected image: all of its labels).
    local names = {}
    if image.origin ~= "dockerfile" then
      for name in pairs(image.labels) do names[#names + 1] = name end
    end
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "LABEL" then
        for i = 1, #instr.args, 3 do names[#names + 1] = instr.args[i] end
      end
    end
    local seen = {}
    for _, name in ipairs(names) do
      local value = image.labels[name]
      if value and not seen[name] then
        seen[name] = true
        local kind = secret_value(value)
        if kind then
          report(image.labels, name, ("LABEL %s holds %s"):format(name, kind))
        elseif secret_name(name) and literal(value) then
          report(image.labels, name, ("LABEL %s looks like a secret and has a value"):format(name))
        end
      end
    end
  end,
}
