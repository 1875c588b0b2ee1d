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

-- argv[command_index(cmd.argv)] of a command (of image.commands), the
-- command's word as written, and whether it holds a "/". When it is
-- argv[1] neither costs a string call: cmd.name is argv[1]'s base name
-- as paths.base makes it (the part after its last "/"), so argv[1] is a
-- default wrapper exactly when cmd.name is one, and holds a "/" exactly
-- when it differs from cmd.name.
function shell.command_word(cmd)
  local argv = cmd.argv
  if not WRAPPERS[cmd.name] then
    local word = argv[1]
    return word, word ~= nil and word ~= cmd.name
  end
  local word = argv[shell.command_index(argv)]
  return word, word ~= nil and word:find("/", 1, true) ~= nil
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
  local commands_list = image.commands
  for j = 1, #commands_list do
    local c = commands_list[j]
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

-- The RUN instruction a command's `instruction` index (from 0) names:
-- the RUN itself, or the RUN an ONBUILD triggers (its commands carry the
-- ONBUILD's index); nil for any other instruction.
function shell.run_instruction(image, index)
  local instr = image.instructions[index + 1]
  if instr and instr.keyword == "ONBUILD" then instr = instr.trigger end
  if instr and instr.keyword == "RUN" then return instr end
  return nil
end

-- True when the RUN at instruction index `index` (from 0) has a cache or
-- tmpfs --mount at one of the paths given, or at a folder above it: what
-- is written there stays out of the layer.
function shell.cache_mounted(image, index, ...)
  local instr, wanted = shell.run_instruction(image, index), { ... }
  local mounts_list = instr and instr.mounts or {}
  for j = 1, #mounts_list do
    local m = mounts_list[j]
    if (m.type == "cache" or m.type == "tmpfs") and m.target then
      local target = paths.trim(m.target)
      for k = 1, #wanted do
        local want = wanted[k]
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
  for j = 1, #commands do
    local c = commands[j]
    if c.name == "rm" then
      for i = 2, #c.argv do
        for k = 1, #patterns do
          local pattern = patterns[k]
          if c.argv[i]:find(pattern) then return true end
        end
      end
    end
  end
  return false
end

-- Programs that run a command as another user: an ENTRYPOINT or CMD that
-- starts with one steps down from root before the application starts.
local STEP_DOWN = {
  gosu = true, ["su-exec"] = true, setpriv = true, runuser = true, chpst = true,
  ["s6-setuidgid"] = true, setuidgid = true,
}

-- The tool an ENTRYPOINT or CMD (an exec of the model, or nil) starts
-- with to run its command as another user (gosu, su-exec, setpriv,
-- runuser, chpst, s6-setuidgid), behind exec, env and the like; nil when
-- it starts with something else.
function shell.steps_down(exec)
  if exec == nil then return nil end
  local words = exec.argv
  if exec.form == "shell" then -- {"/bin/sh", "-c", script}
    words = {}
    for w in (exec.argv[#exec.argv] or ""):gmatch("%S+") do words[#words + 1] = w end
  end
  local name = paths.base(words[shell.command_index(words)] or "")
  return STEP_DOWN[name] and name or nil
end

-- The step-down tool (gosu, su-exec) the stage puts into the image, by a
-- package install, a download or a COPY, or nil: an entrypoint script of
-- the image may use it to leave root.
function shell.installs_step_down(image)
  local commands_list = image.commands
  for j = 1, #commands_list do
    local cmd = commands_list[j]
    local p = cmd.package
    if p and p.packages then
      local packages = p.packages
      for k = 1, #packages do
        local pkg = packages[k]
        if pkg.name == "gosu" or pkg.name == "su-exec" then return pkg.name end
      end
    elseif cmd.program == "curl" or cmd.program == "wget" then
      for i = 2, #cmd.argv do
        local tool = cmd.argv[i]:match("/(gosu)[^/]*$") or cmd.argv[i]:match("/(su%-exec)[^/]*$")
        if tool then return tool end
      end
    end
  end
  local copies = image.copies
  for j = 1, #copies do
    local copy = copies[j]
    local sources = copy.sources
    for k = 1, #sources do
      local source = sources[k]
      local name = paths.base(source)
      if name == "gosu" or name == "su-exec" then return name end
    end
  end
  return nil
end

return shell
