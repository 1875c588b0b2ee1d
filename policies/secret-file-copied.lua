-- A file that holds credentials is copied into the image.

-- Base names (lower case) that are credentials, and the kind of each.
local SECRET_FILES = {
  [".env"] = "an environment file with secrets", [".npmrc"] = "an npm configuration with tokens",
  [".pypirc"] = "a PyPI configuration with passwords", [".netrc"] = "a .netrc with passwords",
  [".git-credentials"] = "stored git credentials", [".dockercfg"] = "Docker registry credentials",
  ["id_rsa"] = "an SSH private key", ["id_dsa"] = "an SSH private key",
  ["id_ecdsa"] = "an SSH private key", ["id_ed25519"] = "an SSH private key",
  ["credentials.json"] = "a credentials file", ["service-account.json"] = "a cloud service account key",
  ["kubeconfig"] = "a Kubernetes configuration with credentials", [".htpasswd"] = "a password file",
  [".pgpass"] = "a PostgreSQL password file", [".my.cnf"] = "a MySQL configuration with passwords",
  [".ssh"] = "an SSH folder (private keys)", [".aws"] = "an AWS folder (credentials)",
  [".gnupg"] = "a GnuPG folder (private keys)", [".kube"] = "a Kubernetes folder (credentials)",
}
-- Paths whose last two parts are credentials.
local SECRET_PATHS = {
  [".aws/credentials"] = "AWS credentials", [".docker/config.json"] = "Docker registry credentials",
  [".kube/config"] = "a Kubernetes configuration with credentials",
  [".config/gcloud"] = "Google Cloud credentials",
}
local SECRET_EXTENSIONS = {
  pem = "a PEM file (certificates or a private key)", key = "a private key",
  p12 = "a PKCS#12 key store", pfx = "a PKCS#12 key store", jks = "a Java key store",
  keystore = "a key store", ovpn = "a VPN profile with keys", ppk = "a PuTTY private key",
  tfvars = "Terraform variables (often secrets)",
}
-- .env.example and friends are templates, not secrets.
local TEMPLATE = { example = true, sample = true, template = true, dist = true, defaults = true, tmpl = true }

-- The last two parts of a path whose last part is name ("b/c" for
-- "/a/b/c"), or nil: what path:match("([^/]+/[^/]+)$") gives, without
-- that pattern's backtracking at every start position.
local function last_two(path, name)
  if name == "" or #name == #path then return nil end -- no "/", or nothing after the last
  local parent = paths.base(path:sub(1, #path - #name - 1))
  if parent == "" then return nil end
  return parent .. "/" .. name
end

local function secret_kind(source)
  local path = paths.trim(source:lower())
  local name = paths.base(path)
  if SECRET_FILES[name] then return SECRET_FILES[name] end
  local last2 = last_two(path, name)
  if last2 and SECRET_PATHS[last2] then return SECRET_PATHS[last2] end
  local suffix = name:match("^%.env[.%-_](.+)$")
  if suffix and not TEMPLATE[suffix] then return "an environment file with secrets" end
  local ext = name:match("%.([%w]+)$")
  if ext and SECRET_EXTENSIONS[ext] and name ~= "." .. ext then return SECRET_EXTENSIONS[ext] end
  return nil
end

return {
  id = "secret-file-copied",
  title = "Credential file copied into the image",
  severity = "high",
  applies_to = "image",
  description = [[
A COPY or ADD puts a file that normally holds credentials into the
image: .env files, SSH private keys (id_rsa, id_ed25519, .ssh/),
*.pem/*.key/*.p12 keys, .npmrc, .pypirc, .netrc, .git-credentials,
.aws/credentials, .docker/config.json, kubeconfig, cloud service account
keys. Every layer of an image can be read by whoever pulls it, and a
file deleted by a later RUN is still in the earlier layer.]],
  remediation = [[
Keep credential files out of the build context with .dockerignore:
    # .dockerignore
    .env
    *.pem
    .npmrc
and give the build what it needs as a build secret, for one step only:
    RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    docker build --secret id=npmrc,src=$HOME/.npmrc .
Files a container needs at run time belong in a secret or volume
mounted when it starts. Rotate any key that was copied into an image.]],
  refs = {
    cis = "4.10",
    trivy = "DS031",
  },
  check = function(image)
    local copies_list = image.copies
    for i = 1, #copies_list do
      local copy = copies_list[i]
      if not copy.url and not copy.git and not copy.heredoc then
        local sources = copy.sources
        for k = 1, #sources do
          local source = sources[k]
          local kind = secret_kind(source)
          if kind then
            report(copy, ("%s copies %s, %s, into the image"):format(copy.add and "ADD" or "COPY", source, kind))
          end
        end
      end
    end
  end,
}
