-- DL3064: ARG or ENV whose name looks like a secret.
local PARTS = { "password", "passwd", "secret", "token", "api_key", "apikey", "private", "client_key",
  "access_key" }

local function secret_like(name)
  local n = name:lower()
  for _, part in ipairs(PARTS) do
    if n:find(part, 1, true) then return part end
  end
  return nil
end

return {
  id = "DL3064",
  title = "ARG or ENV named like a secret",
  severity = "medium",
  applies_to = "document",
  description = [[
An ARG or ENV is named like a credential (a password, token, secret or
private key). ENV values are stored in the image's configuration and ARG
values in its build history, where anyone who can pull the image reads
them.]],
  remediation = [[
Pass secrets with a build secret, which never enters the image:
    RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci
and give them to containers at run time (environment or mounted file).]],
  refs = { hadolint = "DL3064", trivy = "DS031" },
  check = function(document)
    -- The ARGs before the first FROM (a Dockerfile's document), which no
    -- FROM stage holds; an implicit stage's ARGs are the same ARGs, so
    -- they are skipped below.
    for _, a in ipairs(document.args or {}) do
      if secret_like(a.name) then
        report(a, "ARG " .. a.name .. " looks like a secret; use a build secret instead")
      end
    end
    for _, image in ipairs(document.images) do
      for _, instr in ipairs(image.instructions) do
        local kw = instr.keyword
        if kw == "ENV" then
          for k = 1, #instr.args, 3 do
            if secret_like(instr.args[k]) then
              report(instr, "ENV " .. instr.args[k] .. " looks like a secret; use a build secret instead")
            end
          end
        elseif kw == "ARG" and not image.implicit then
          for _, a in ipairs(instr.args) do
            local name = a:match("^([^=]+)") or a
            if secret_like(name) then
              report(instr, "ARG " .. name .. " looks like a secret; use a build secret instead")
            end
          end
        end
      end
    end
  end,
}
