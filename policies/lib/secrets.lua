-- secrets: names and values that look like credentials.

local secrets = {}

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

-- True when a variable (or label, or argument) name says it holds a
-- credential: DB_PASSWORD, apiKey, AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN;
-- not PASSWORD_FILE, TOKEN_URL or KEY_ID, which only point at one.
-- Every word that makes a name a secret (SECRET_WORD, and KEY after a
-- KEY_KIND) holds one of these, and a word is a run of the name's own
-- bytes, upper-cased byte by byte as name:upper() does: a name whose
-- upper case holds none of them is not a secret.
local STEMS = { "PASS", "SECRET", "TOKEN", "KEY", "CREDENTIAL" }

function secrets.name_is_secret(name)
  local upper, find = name:upper(), string.find
  local stem = false
  for i = 1, #STEMS do
    if find(upper, STEMS[i], 1, true) then stem = true break end
  end
  if not stem then return false end
  local w = name_words(name)
  if #w == 0 or NOT_VALUE[w[#w]] then return false end
  for i = 1, #w do
    local word = w[i]
    if SECRET_WORD[word] then return true end
    if word == "KEY" and i > 1 and KEY_KIND[w[i - 1]] then return true end
  end
  return false
end

-- What kind of credential a value holds, found by its shape whatever its
-- name ("an AWS access key id", "a private key", "a GitHub token", "a
-- password in a URL", ...), or nil. The shapes are listed in
-- docs/writing-rules.md (text.credential, which does the work in C).
secrets.value_kind = text.credential

-- The first value of a list (an argv, ...; a command or an exec form
-- stands for its argv, read without making its list) from index `from`
-- (1) on that holds a credential by its shape: its index, kind (as
-- value_kind) and the value; with `prefix`, also the first that starts
-- with it, with `names` (a set of options), the first option that is one
-- of them alone or before its "=" (its index, nil and the value),
-- whichever comes first; nil when there is none. One native call for the
-- whole list (text.find_credential).
secrets.find_value = text.find_credential

return secrets
