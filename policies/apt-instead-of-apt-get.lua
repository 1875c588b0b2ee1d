-- apt, the interactive front end, is used in a script.

local SUBCOMMANDS = {
  install = true, update = true, upgrade = true, ["full-upgrade"] = true, ["dist-upgrade"] = true,
  remove = true, purge = true, autoremove = true, reinstall = true, ["build-dep"] = true,
}

return {
  id = "apt-instead-of-apt-get",
  title = "apt used instead of apt-get",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step uses `apt`, the command made for people at a terminal. Its
output and behaviour are not a stable interface (it warns "apt does not
have a stable CLI interface. Use with caution in scripts."), it shows
progress bars, and its defaults may change between releases. apt-get
(and apt-cache) are the commands meant for scripts.]],
  remediation = [[
Use apt-get for the same operations:
    RUN apt-get update \
     && apt-get install -y --no-install-recommends curl \
     && rm -rf /var/lib/apt/lists/*]],
  refs = {
    hadolint = "DL3027",
    kics = "b84a0b47",
    checkov = "CKV_DOCKER_9",
  },
  check = function(image)
    local commands_list = image.commands
    for j = 1, #commands_list do
      local cmd = commands_list[j]
      local name, i = cmd.name, 1
      local argv = (name == "apt" or name == "sudo") and cmd.argv
      if name == "sudo" then i, name = 2, paths.base(argv[2]) end
      if name == "apt" then
        for k = i + 1, #argv do
          if argv[k]:sub(1, 1) ~= "-" then
            if SUBCOMMANDS[argv[k]] then
              report(cmd, ("apt %s: use apt-get %s in scripts"):format(argv[k], argv[k]))
            end
            break
          end
        end
      end
    end
  end,
}
