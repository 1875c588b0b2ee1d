-- A password is set (or emptied) for an account while building the image.

-- The commands that can set a password (sudo: the one after it may).
local PASSWORD_TOOLS = {
  sudo = true, chpasswd = true, chgpasswd = true, passwd = true, useradd = true,
  usermod = true, adduser = true,
}

local function has_opt(argv, short, long)
  for i = 2, #argv do
    local a = argv[i]
    if a == long or a:sub(1, #long + 1) == long .. "=" then return true end
    if short and a:sub(1, 1) == "-" and a:sub(2, 2) ~= "-" and a:find(short, 2, true) then return true end
  end
  return false
end

return {
  id = "password-set-in-build",
  title = "Account password set or removed during the build",
  severity = "high",
  applies_to = "image",
  description = [[
A RUN step sets an account's password (chpasswd, passwd --stdin,
useradd/usermod -p) or deletes it (passwd -d). The password, or its hash,
ends up in the image's /etc/shadow, where everyone who pulls the image
can read and crack it, and the plain text usually sits in the build
history too. An account with an empty password is worse: anyone who can
reach a login (su, ssh) becomes that user.]],
  remediation = [[
Containers do not need login passwords. Create service users without
one, and lock them:
    RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app
If a service inside the container needs a credential, give it at run
time as a secret (docker run --secret, Compose `secrets:`, a Kubernetes
Secret), never in a RUN step.]],
  refs = {
    checkov = "CKV2_DOCKER_17",
  },
  check = function(image)
    local commands_list = image.commands
    local j = model_find(commands_list, "name", PASSWORD_TOOLS)
    while j do
      local cmd = commands_list[j]
      j = model_find(commands_list, "name", PASSWORD_TOOLS, j + 1)
      local name = cmd.name
      local argv = cmd.argv
      if name == "sudo" then
        name = paths.base(argv[2])
      end
      if name == "chpasswd" or name == "chgpasswd" then
        report(cmd, name .. " sets a password that is then stored in the image")
      elseif name == "passwd" then
        if has_opt(argv, "d", "--delete") then
          report(cmd, "passwd -d leaves the account with an empty password")
        elseif has_opt(argv, nil, "--stdin") or cmd.pipe_index > 0 then
          report(cmd, "passwd sets a password that is then stored in the image")
        end
      elseif (name == "useradd" or name == "usermod" or name == "adduser") and
             has_opt(argv, "p", "--password") then
        report(cmd, name .. " -p sets a password hash that is then stored in the image")
      end
    end
  end,
}
