-- A private key is generated while building and stays in the image.

-- openssl subcommands that write a new private key, and the option that
-- names its file.
-- The programs that write private keys.
local KEY_TOOLS = { openssl = true, ["ssh-keygen"] = true, mkcert = true }

local OPENSSL_KEYOUT = { req = "-keyout", genrsa = "-out", genpkey = "-out", ecparam = "-out",
                         gendsa = "-out" }

-- The key file a command writes, or nil: openssl req -newkey/-x509 ...
-- -keyout F, openssl genrsa|genpkey|ecparam -genkey -out F, ssh-keygen -f
-- F ("host keys" for ssh-keygen -A).
local function key_written(cmd)
  local w, prog = cmd.words, cmd.program
  if prog == "openssl" then
    local option = OPENSSL_KEYOUT[w[2] or ""]
    if option == nil then return nil end
    if w[2] == "ecparam" and not model.has(w, "-genkey") then return nil end
    if w[2] == "req" and not (model.has(w, "-newkey") or model.has(w, "-x509") or model.has(w, "-new")) then
      return nil
    end
    for i = 3, #w - 1 do
      if w[i] == option then return w[i + 1] end
    end
    return w[2] ~= "req" and "standard output" or nil
  elseif prog == "ssh-keygen" then
    if model.has(w, "-A") then return "/etc/ssh/ssh_host_*_key" end
    if model.has(w, "-l") or model.has(w, "-y") or model.has(w, "-R") or model.has(w, "-F") then return nil end
    for i = 2, #w - 1 do
      if w[i] == "-f" then return w[i + 1] end
    end
    return "~/.ssh/id_*"
  elseif prog == "mkcert" then
    return "the mkcert key files"
  end
  return nil
end

-- The commands of the RUN at instruction `index`, in order, as a step of
-- shell.runs() (a new list, field `instruction`): built only for a RUN
-- that writes a key.
local function run_of(image, index)
  local run = { instruction = index }
  local commands_list = image.commands
  for j = 1, #commands_list do
    local c = commands_list[j]
    if c.instruction == index then run[#run + 1] = c end
  end
  return run
end

-- True when the RUN removes the file (rm), or keeps its folder out of the
-- layer (a tmpfs or secret mount over it).
local function kept_out(image, run, path)
  if path == "standard output" then return true end
  local dir = path:match("^(.*)/[^/]*$") or "."
  if shell.cache_mounted(image, run.instruction, dir) then return true end
  local base = paths.base(path)
  for j = 1, #run do
    local c = run[j]
    if c.name == "rm" then
      for i = 2, #c.argv do
        if paths.base(c.argv[i]) == base or paths.trim(c.argv[i]) == dir then return true end
      end
    end
  end
  return false
end

return {
  id = "private-key-generated-in-build",
  title = "Private key generated into the image",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN step of a stage that ships generates a private key (`openssl req
-x509 -newkey ... -keyout key.pem`, `openssl genrsa -out`, `ssh-keygen
-A` for SSH host keys, mkcert) and leaves it in the layer. Every copy of
the image carries the same key: anyone who can pull the image has it,
can impersonate the service (decrypt or intercept its TLS, pose as its
SSH server), and every container started from it shares one identity
that can never be rotated without a rebuild.]],
  remediation = [[
Generate keys when the container starts (in the entrypoint, into a
volume or tmpfs), or mount them at run time as a secret:
    services:
      web:
        secrets:
          - source: tls_key
            target: /run/secrets/tls.key
If a build step needs a throwaway key (to sign something), generate it
on a tmpfs mount and let it go with the step:
    RUN --mount=type=tmpfs,target=/keys openssl genrsa -out /keys/k.pem 2048 && ...]],
  check = function(image, document)
    if not model.shipped(image, document) then return end
    local commands_list = image.commands
    local j = model_find(commands_list, "program", KEY_TOOLS)
    while j do
      local cmd = commands_list[j]
      j = model_find(commands_list, "program", KEY_TOOLS, j + 1)
      local prog = cmd.program
      local path = key_written(cmd)
      if path and not kept_out(image, run_of(image, cmd.instruction), path) then
        report(cmd, ("%s writes a private key (%s) into the image: every container of it shares the key")
          :format(prog, path))
      end
    end
  end,
}
