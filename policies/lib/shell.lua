-- shell: the commands of RUN steps (image.commands): the command behind
-- its wrappers (sudo, env, ...), the commands grouped by RUN step, and
-- what a RUN step removes or mounts over.

local shell = {}

-- The wrappers skipped when none are given, each with its own options
-- and NAME=value words (sudo -E, env -i A=1, nice -n).
local WRAPPERS = {
  sudo = true, env = true, command = true, exec = true, nice = true, nohup = true, time = true,
}

-- The index in argv of the command that the wrappers in front of it run
-- (#argv + 1 when argv holds only wrappers). `wrappers` maps a wrapper's
-- name to true, when the words after it that start with "-" or hold "="
-- are its own (skipped too), or to "bare", when only its name is
-- skipped. Without `wrappers`: sudo, env, command, exec, nice, nohup and
-- time, each with its options.
function shell.command_index(argv, wrappers)
  wrappers = wrappers or WRAPPERS
  local i = 1
  while argv[i] do
    local how = wrappers[paths.base(argv[i])]
    if not how then break end
    i = i + 1
    if how ~= "bare" then
      while argv[i] and (argv[i]:sub(1, 1) == "-" or argv[i]:find("=", 1, true)) do i = i + 1 end
    end
  end
  return i
end

-- A new list of the words of argv from the command on (see
-- command_index), the first without its directory:
-- words({"sudo", "/usr/bin/apt-get", "install", "x"}) is
-- {"apt-get", "install", "x"}.
function shell.words(argv, wrappers)
  local w = {}
  for k = shell.command_index(argv, wrappers), #argv do w[#w + 1] = argv[k] end
  if w[1] then w[1] = paths.base(w[1]) end
  return w
end

-- The stage's RUN steps, in order: a new list with one list of commands
-- per RUN, whose field `instruction` is the RUN's index in
-- image.instructions counted from 0 (as command.instruction).
function shell.runs(image)
  local runs, by_index = {}, {}
  for _, c in ipairs(image.commands) do
    local run = by_index[c.instruction]
    if not run then
      run = { instruction = c.instruction }
      by_index[c.instruction] = run
      runs[#runs + 1] = run
    end
    run[#run + 1] = c
  end
  return runs
end

-- True when the RUN at instruction index `index` (from 0) has a cache or
-- tmpfs --mount at one of the paths given, or at a folder above it: what
-- is written there stays out of the layer.
function shell.cache_mounted(image, index, ...)
  local instr, wanted = image.instructions[index + 1], { ... }
  for _, m in ipairs(instr and instr.mounts or {}) do
    if (m.type == "cache" or m.type == "tmpfs") and m.target then
      local target = paths.trim(m.target)
      for _, want in ipairs(wanted) do
        if paths.within(want, target) then return true end
      end
    end
  end
  return false
end

-- True when one of the commands (a RUN step from runs(), or any list of
-- commands) is rm with an argument that matches one of the Lua patterns:
-- removes(run, "^/var/cache/apk").
function shell.removes(commands, ...)
  local patterns = { ... }
  for _, c in ipairs(commands) do
    if c.name == "rm" then
      for i = 2, #c.argv do
        for _, pattern in ipairs(patterns) do
          if c.argv[i]:find(pattern) then return true end
        end
      end
    end
  end
  return false
end

return shell
