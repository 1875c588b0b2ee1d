-- A secret is passed as a build argument (ARG, Compose build.args).

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

return {
  id = "secret-in-build-arg",
  title = "Secret passed as a build argument",
  severity = "high",
  applies_to = { "image", "container" },
  description = [[
An ARG is named like a credential (PASSWORD, TOKEN, API_KEY, ...) or has
a default that is one, or a Compose service passes one in `build.args`.
Build arguments are not secret: their values are recorded in the image's
build history (`docker history` shows them for every RUN that follows),
in build caches and in CI logs, and a default written in the Dockerfile
is in version control.]],
  remediation = [[
Use a build secret, which is mounted only for the one RUN that needs it
and never stored in the image:
    # Dockerfile
    RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    # build
    docker build --secret id=npm_token,env=NPM_TOKEN .
    # compose.yaml
    services:
      app:
        build:
          context: .
          secrets: [npm_token]
    secrets:
      npm_token:
        environment: NPM_TOKEN
Then rotate any credential that was passed as a build argument.]],
  refs = {
    cis = "4.10",
    hadolint = "DL3064",
    trivy = "DS031",
    kics = "c3e1b6ae",
  },
  check = function(subject)
    if subject.commands == nil then -- a container
      local build = subject.build
      if build and build.args then
        for name, value in pairs(build.args) do
          local kind = secret_value(value)
          if kind then
            report(build.args, name, ("build argument %s holds %s"):format(name, kind))
          elseif secret_name(name) and not value:match("^%$") then
            report(build.args, name, ("build argument %s looks like a secret"):format(name))
          end
        end
      end
      return
    end
    local image = subject
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "ARG" then
        for _, word in ipairs(instr.args) do
          local name, default = word:match("^([^=]+)=(.*)$")
          name = name or word
          local kind = default and secret_value(default)
          if kind then
            report(instr, ("ARG %s has a default that is %s"):format(name, kind))
          elseif secret_name(name) then
            report(instr, ("ARG %s looks like a secret; build arguments are kept in the image history"):format(name))
          end
        end
      end
    end
  end,
}
