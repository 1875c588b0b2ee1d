-- A secret is passed as a build argument (ARG, Compose build.args).

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
    if not model.is_image(subject) then -- a container
      local build = subject.build
      if build and build.args then
        for name, value in pairs(build.args) do
          local kind = secrets.value_kind(value)
          if kind then
            report(build.args, name, ("build argument %s holds %s"):format(name, kind))
          elseif secrets.name_is_secret(name) and not value:match("^%$") then
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
          local kind = default and secrets.value_kind(default)
          if kind then
            report(instr, ("ARG %s has a default that is %s"):format(name, kind))
          elseif secrets.name_is_secret(name) then
            report(instr, ("ARG %s looks like a secret; build arguments are kept in the image history"):format(name))
          end
        end
      end
    end
  end,
}
