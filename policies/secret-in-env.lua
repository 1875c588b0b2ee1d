-- A secret is stored in an ENV variable of an image, or in a container's environment.

local byte, lower = string.byte, string.lower

-- Why name=value looks like a stored secret, or nil.
local function why(name, value)
  if value == nil or value == "" then return nil end
  local kind = secrets.value_kind(value)
  if kind then return ("%s holds %s"):format(name, kind) end
  local first = byte(value, 1)
  if first == 36 or first == 47 then return nil end -- "$": a reference, "/": a path
  -- true, false, yes, no, none: five bytes at most.
  if #value <= 5 then
    local word = lower(value)
    if word == "true" or word == "false" or word == "yes" or word == "no" or word == "none" then return nil end
  end
  if secrets.name_is_secret(name) then return ("%s looks like a secret and has a value"):format(name) end
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
later step changes them. In Compose files they end up in version control.
A Compose value that only refers to a secret (`${DB_PASSWORD}`, an
env_file, a name given alone) is not reported: the secret is not in the
file.]],
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
    if not model.is_stage(subject) then
      -- A container, or an image from docker inspect (no instructions to tell
      -- inherited variables from its own): every variable.
      -- Compose: only values written in the file itself; one it refers to
      -- (${VAR}, an env_file, the host's environment) is kept out of it.
      local sources = not model.is_image(subject) and subject.env_source or nil
      for name, value in pairs(subject.env) do
        local source = sources and sources[name]
        local reason = (source == nil or source == "file") and why(name, value)
        if reason then
          local where = model.is_image(subject) and "image" or model.describe(subject)
          report(subject.env, name, ("%s (%s)"):format(reason, where))
        end
      end
      return
    end
    -- Names set by this stage's ENV instructions; inherited ones were
    -- reported in the stage that set them.
    local image = subject
    local names = model.set_names(image, "ENV")
    for i = 1, #names do
      local name = names[i]
      local reason = why(name, image.env[name])
      if reason then report(image.env, name, "ENV " .. reason) end
    end
  end,
}
