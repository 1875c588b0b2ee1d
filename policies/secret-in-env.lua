-- A secret is stored in an ENV variable of an image, or in a container's environment.

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

-- Why name=value looks like a stored secret, or nil.
local function why(name, value)
  if value == nil or value == "" then return nil end
  local kind = secret_value(value)
  if kind then return ("%s holds %s"):format(name, kind) end
  if value:match("^%$") or value:match("^/") then return nil end -- a reference or a path
  local lower = value:lower()
  if lower == "true" or lower == "false" or lower == "yes" or lower == "no" or lower == "none" then return nil end
  if secret_name(name) then return ("%s looks like a secret and has a value"):format(name) end
  return nil
end

return {
  id = "secret-in-env",
  title = "Secret stored in an environment variable",
  severity = "high",
  applies_to = { "image", "container" },
  description = [[
An ENV instruction, a Compose service's `environment:` or a container's
Config.Env holds what looks like a credential: a variable named like one
(PASSWORD, SECRET, TOKEN, API_KEY, ...) with a value, or a value shaped
like one whatever its name (AWS access keys, private keys, GitHub/GitLab/
Slack/Stripe tokens, a password inside a URL). ENV values are stored in
the image's configuration: anyone who can pull the image reads them with
`docker inspect` or `docker history`, and they stay there even when a
later step changes them. In Compose files they end up in version control.]],
  remediation = [[
Never bake credentials into an image. Pass them at run time, preferably
as files rather than variables:
    # compose.yaml
    services:
      app:
        environment:
          DB_PASSWORD_FILE: /run/secrets/db_password
        secrets: [db_password]
    secrets:
      db_password:
        file: ./db_password.txt   # kept out of git
For a value needed only while building, use a build secret:
    RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
Then rotate every credential that was ever committed or pushed.]],
  refs = {
    cis = "4.10",
    hadolint = "DL3064",
    trivy = "DS031",
    kics = { "c3e1b6ae", "a88baa34" },
  },
  check = function(subject)
    if subject.commands == nil or subject.origin ~= "dockerfile" then
      -- A container, or an image from docker inspect (no instructions to tell
      -- inherited variables from its own): every variable.
      for name, value in pairs(subject.env) do
        local reason = why(name, value)
        if reason then
          local where = subject.commands and "image" or "container " .. subject.name
          report(subject.env, name, ("%s (%s)"):format(reason, where))
        end
      end
      return
    end
    -- Names set by this stage's ENV instructions; inherited ones were
    -- reported in the stage that set them.
    local image, seen = subject, {}
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "ENV" then
        for i = 1, #instr.args, 3 do
          local name = instr.args[i]
          local value = image.env[name]
          local reason = not seen[name] and why(name, value)
          if reason then
            seen[name] = true
            report(image.env, name, "ENV " .. reason)
          end
        end
      end
    end
  end,
}
