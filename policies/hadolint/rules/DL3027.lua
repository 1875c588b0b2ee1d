-- DL3027: apt is used in a build; apt-get and apt-cache are meant for scripts.
return {
  id = "DL3027",
  title = "apt used instead of apt-get",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN step calls apt. apt is the command-line front end for people at a
terminal: its output and behaviour may change between releases, and it
warns that it has no stable interface for scripts. A Dockerfile is a
script; apt-get and apt-cache are the stable tools for it.]],
  remediation = [[
Use apt-get (and apt-cache for searches):
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*]],
  refs = { hadolint = "DL3027", kics = "b84a0b47", checkov = "CKV_DOCKER_9" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "apt" then
        report(cmd, "apt is meant for terminals; use apt-get or apt-cache in a Dockerfile")
      end
    end
  end,
}
