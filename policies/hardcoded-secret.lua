-- A credential is written into a RUN, CMD, ENTRYPOINT, HEALTHCHECK or LABEL.

-- Command-line options whose value is a credential.
local SECRET_OPTIONS = {
  ["--password"] = true, ["--passwd"] = true, ["--pass"] = true, ["--token"] = true,
  ["--api-key"] = true, ["--apikey"] = true, ["--secret"] = true, ["--client-secret"] = true,
  ["--access-key"] = true, ["--secret-key"] = true, ["--auth-token"] = true,
  ["--registry-password"] = true, ["--db-password"] = true,
}

local find_value, find, sub = secrets.find_value, string.find, string.sub

local function literal(value)
  return value and value ~= "" and not value:match("^%$") and not value:match("^%-")
end

-- Why the argv of a command or exec form carries a credential, or nil:
-- the first word that holds one by its shape, or is an option in
-- SECRET_OPTIONS (all of them start with "--") with a literal value; at
-- one word, its shape first. `curl` is whether argv[1] is curl (or ends
-- in /curl): nil to look, a known answer (a command's name) to save the
-- look. find_value reads the argv in C: its Lua list is made only when a
-- word needs a closer look.
local function in_argv(subject, curl)
  -- Stops at a credential, or at an option of SECRET_OPTIONS (--opt or
  -- --opt=value): the other words never come back to Lua.
  local i, kind, a = find_value(subject, 1, SECRET_OPTIONS)
  local argv
  while i do
    if kind then return kind .. " in its arguments" end
    local opt, value = a, nil
    local eq = find(a, "=", 3, true)
    if eq then
      opt, value = sub(a, 1, eq - 1), sub(a, eq + 1)
    else
      argv = argv or subject.argv
      value = argv[i + 1]
    end
    if literal(value) then
      return ("a literal %s on the command line"):format(opt)
    end
    i, kind, a = find_value(subject, i + 1, SECRET_OPTIONS)
  end
  -- curl -u user:password, with a literal password.
  if curl == nil then
    argv = argv or subject.argv
    local prog = argv[1]
    curl = prog == "curl" or (prog ~= nil and find(prog, "/curl", -5, true) ~= nil)
  end
  if curl then
    argv = argv or subject.argv
    for i = 2, #argv do
      local v = (argv[i] == "-u" or argv[i] == "--user") and argv[i + 1]
      local pw = v and v:match("^[^:]+:(.+)$")
      if pw and literal(pw) then return "a user:password given to curl -u" end
    end
  end
  return nil
end

-- True when a label name=value is reported (as the loop at the end of
-- check does).
local function label_reported(name, value)
  return secrets.value_kind(value) ~= nil or (secrets.name_is_secret(name) and literal(value))
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
    local cmds = image.commands
    for k = 1, #cmds do
      local cmd = cmds[k]
      -- cmd.name is argv[1]'s basename: "curl" exactly when argv[1] is
      -- curl or ends in /curl.
      local reason = in_argv(cmd, cmd.name == "curl")
      if reason then report(cmd, "RUN has " .. reason) end
      if #cmd.env > 0 then
        for name, value in pairs(cmd.env) do
          local kind = secrets.value_kind(value)
          if kind then
            report(cmd, ("RUN sets %s to %s"):format(name, kind))
          elseif secrets.name_is_secret(name) and literal(value) then
            report(cmd, ("RUN sets %s, which looks like a secret, to a literal value"):format(name))
          end
        end
      end
    end
    -- CMD, ENTRYPOINT and HEALTHCHECK are inherited: look at the stage that ships.
    local fields = image.final and { "cmd", "entrypoint" } or {}
    for j = 1, #fields do
      local field = fields[j]
      local exec = image[field]
      if exec and exec.form == "exec" then
        local reason = in_argv(exec)
        if reason then report(exec, field:upper() .. " has " .. reason) end
      elseif exec then
        local kind = secrets.value_kind(exec.argv[#exec.argv] or "")
        if kind then report(exec, ("%s has %s"):format(field:upper(), kind)) end
      end
    end
    local hc = image.final and image.healthcheck
    if hc and hc.test then
      local _, kind = find_value(hc.test, 2)
      if kind then report(hc, "HEALTHCHECK has " .. kind) end
    end
    -- LABELs set by this stage (an inspected image: all of its labels).
    -- Whether a label is reported depends on its name and value alone: a
    -- look at every label first skips the walk over the instructions
    -- when none would be.
    local any = false
    for name, value in pairs(image.labels) do
      if label_reported(name, value) then any = true break end
    end
    if not any then return end
    local names = {}
    if image.origin ~= "dockerfile" then
      for name in pairs(image.labels) do names[#names + 1] = name end
    end
    for _, name in ipairs(model.set_names(image, "LABEL")) do names[#names + 1] = name end
    local seen = {}
    for j = 1, #names do
      local name = names[j]
      local value = image.labels[name]
      if value and not seen[name] then
        seen[name] = true
        local kind = secrets.value_kind(value)
        if kind then
          report(image.labels, name, ("LABEL %s holds %s"):format(name, kind))
        elseif secrets.name_is_secret(name) and literal(value) then
          report(image.labels, name, ("LABEL %s looks like a secret and has a value"):format(name))
        end
      end
    end
  end,
}
