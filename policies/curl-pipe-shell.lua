-- A script is downloaded and run in one step, unverified.

local DOWNLOADERS = { curl = true, wget = true, fetch = true }
local INTERPRETERS = {
  sh = true, bash = true, dash = true, ash = true, zsh = true, ksh = true, fish = true,
  python = true, python2 = true, python3 = true, perl = true, ruby = true, node = true, php = true,
}

local WRAPPERS = { sudo = true, env = true, command = true, exec = true, time = true }

-- The interpreter a command runs (skipping sudo, env and friends), and
-- its index in argv; nil when it runs none.
local function interpreter(argv)
  local i = shell.command_index(argv, WRAPPERS)
  if argv[i] == nil then return nil end
  local name = paths.base(argv[i])
  local generic = name:gsub("[%d.]+$", "") -- python3.12 -> python
  return INTERPRETERS[generic] and name or nil, i
end

-- True when a program name may be an interpreter (python3.12 is python).
local function may_interpret(name)
  if INTERPRETERS[name] then return true end
  local last = name:byte(-1)
  return last ~= nil and (last == 46 or (last >= 48 and last <= 57)) and
         INTERPRETERS[(name:gsub("[%d.]+$", ""))] == true
end

-- True when the interpreter reads its program from standard input: no
-- inline program (-c, -e) and no script file named ("-" is stdin).
local SHELLS = { sh = true, bash = true, dash = true, ash = true, zsh = true, ksh = true, fish = true }
local function reads_stdin(argv, at)
  local is_shell = SHELLS[paths.base(argv[at])]
  local i = at + 1
  while argv[i] do
    local a = argv[i]
    if a == "-" or a == "-s" or a == "--" then return true end
    if a == "-o" or a == "+o" or a == "-O" or a == "+O" or a == "-m" or a == "-W" or a == "-X" then
      i = i + 1 -- options with a value
    elseif (is_shell and a:match("^%-%a*c%a*$")) or (not is_shell and (a:match("^%-%a*[ce]$") or a == "-r"))
        or a == "--eval" or a == "--command" then
      return false -- the program is inline; stdin is data
    elseif a:sub(1, 1) ~= "-" and a:sub(1, 1) ~= "+" then
      return false -- a script file; stdin is data
    end
    i = i + 1
  end
  return true
end

return {
  id = "curl-pipe-shell",
  title = "Downloaded script run without verification",
  severity = "high",
  applies_to = "image",
  description = [[
A RUN step downloads a script and hands it straight to a shell or an
interpreter (`curl ... | sh`, `wget -O- ... | bash`, `sh -c "$(curl ...)"`,
`bash <(curl ...)`). Whatever the server sends on the day of the build
runs as root in your image: a compromised or spoofed server, a changed
script, or a download cut half-way (a truncated `rm -rf /usr/local/foo`
becomes `rm -rf /usr`) all go unnoticed, and the build is not
reproducible.]],
  remediation = [[
Download to a file, check it against a checksum (or signature) you
recorded, then run it:
    ARG INSTALLER_SHA256=3f1c...
    RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
     && echo "${INSTALLER_SHA256}  /tmp/install.sh" | sha256sum -c - \
     && sh /tmp/install.sh && rm /tmp/install.sh
Better still, install from the distribution's package manager, or
`ADD --checksum=sha256:... https://...` the file.]],
  refs = {
    cis = "4.11",
  },
  check = function(image)
    local downloads = {} -- pipeline -> the download command in it
    local commands = image.commands
    for j = 1, #commands do
      local cmd = commands[j]
      local name = cmd.name
      if DOWNLOADERS[name] and cmd.pipeline then
        downloads[cmd.pipeline] = downloads[cmd.pipeline] or cmd
      end
      -- Only a command whose program is an interpreter can run one (the
      -- wrappers interpreter() skips are among those the model skips).
      local argv = cmd.program and may_interpret(cmd.program) and cmd.argv
      local interp, at
      if argv then interp, at = interpreter(argv) end
      if interp then
        -- A pipeline's commands come in order (pipe_index 0 first) and its
        -- number is unique in the stage: a download recorded for it is an
        -- earlier command of it (no downloader is an interpreter).
        local d = downloads[cmd.pipeline]
        if d and reads_stdin(argv, at) then
          report(cmd, ("the output of %s is piped into %s and run unverified"):format(paths.base(d.argv[1]), interp))
        elseif not d then
          for i = at + 1, #argv do
            local dl = argv[i]:match("^[%$<]%(%s*([%w_./-]+)") or argv[i]:match("^`%s*([%w_./-]+)")
                    or argv[i]:match("%$%(%s*([%w_./-]+)")
            if dl and DOWNLOADERS[paths.base(dl)] then
              report(cmd, ("%s runs a script downloaded by %s, unverified"):format(interp, paths.base(dl)))
              break
            end
          end
        end
      end
    end
  end,
}
