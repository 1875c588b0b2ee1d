-- An SSH server is installed or started in the image.

local SERVERS = { ["openssh-server"] = true, openssh = true, dropbear = true, ["openssh-server-pam"] = true }

local function runs_sshd(exec)
  local argv = exec and exec.argv or {}
  for i = 1, #argv do
    local word = argv[i]
    for part in word:gmatch("%S+") do
      local name = paths.base(part)
      if name == "sshd" or name == "dropbear" then return name end
    end
  end
  return nil
end

return {
  id = "sshd-installed",
  title = "SSH server in the container",
  severity = "medium",
  applies_to = "image",
  description = [[
The image that ships installs an SSH server (openssh-server, dropbear)
or starts sshd. A container should run one process, the application; an SSH
daemon beside it is another service to patch, another way in (usually
with keys or passwords baked into the image), and it bypasses the
auditing and access control that `docker exec` or `kubectl exec` give.]],
  remediation = [[
Remove the SSH server. To get a shell in a running container use
    docker exec -it <container> sh      (or kubectl exec -it <pod> -- sh)
and copy files with `docker cp`. If the image itself is an SSH service
(a bastion, a git server), keep it, and suppress this finding with a
reason: # policy ignore=sshd-installed -- this image is the SSH bastion]],
  refs = {
    cis = "5.7",
  },
  check = function(image, document)
    if not model.shipped(image, document) then return end -- a test stage may need one
    local commands = image.commands
    for i = 1, #commands do
      local cmd = commands[i]
      local p = cmd.package
      local names = p and packages.system(p) and packages.installs(p)
      if names then
        for k = 1, #names do
          local name = names[k]
          if SERVERS[name] then
            report(cmd, ("%s installs the SSH server %s"):format(p.manager, name))
          end
        end
      end
    end
    if image.final then
      local fields = { "entrypoint", "cmd" }
      for i = 1, #fields do
        local field = fields[i]
        local daemon = runs_sshd(image[field])
        if daemon then
          report(image[field], ("%s starts the SSH daemon %s"):format(field:upper(), daemon))
          break
        end
      end
    end
  end,
}
