-- A secret is passed as a build argument (ARG, Compose build.args).

return {
  id = "secret-in-build-arg",
  title = "Secret passed as a build argument",
  severity = "high",
  applies_to = { "document", "container" },
  description = [[
An ARG is named like a credential (PASSWORD, TOKEN, API_KEY, ...) or has
a default that is one, or a Compose service passes one in `build.args`.
Build arguments are not secret: their values are recorded in the image's
build history (`docker history` shows them for every RUN that follows),
in build caches and in CI logs, and a default written in the Dockerfile
is in version control. A name that later stages declare again is
reported once, at its first ARG.]],
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
    if model_type(subject) == "container" then
      local build = subject.build
      if build and build.args then
        for name, value in pairs(build.args) do
          local kind = value and secrets.value_kind(value)
          if kind then
            report(build.args, name, ("build argument %s holds %s"):format(name, kind))
          elseif value and secrets.name_is_secret(name) and not value:match("^%$") then
            report(build.args, name, ("build argument %s looks like a secret"):format(name))
          end
        end
      end
      return
    end
    -- The document: each Dockerfile's ARGs, a name once however many
    -- stages declare it again (a multi-stage file re-declares its ARGs
    -- in every stage that uses them); a default that holds a credential
    -- is reported where it is written.
    local named = {}
    local stages = subject.images
    for i = 1, #stages do
      local image = stages[i]
      if image.index == 0 then named = {} end
      local args_instrs = model.instructions(image, "ARG")
      for k = 1, #args_instrs do
        local instr = args_instrs[k]
        local args = instr.args
        for m = 1, #args do
          local word = args[m]
          local name, default = word:match("^([^=]+)=(.*)$")
          name = name or word
          local kind = default and secrets.value_kind(default)
          if kind then
            report(instr, ("ARG %s has a default that is %s"):format(name, kind))
            named[name] = true
          elseif secrets.name_is_secret(name) and not named[name] then
            named[name] = true
            report(instr, ("ARG %s looks like a secret; build arguments are kept in the image history"):format(name))
          end
        end
      end
    end
  end,
}
