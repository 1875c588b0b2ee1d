-- A RUN pipeline runs without pipefail, so a failing command before the last goes unnoticed.

-- True when a shell argv sets pipefail (-o pipefail, -euo pipefail, ...).
local function sets_pipefail(argv)
  for i = 1, #argv - 1 do
    if argv[i]:match("^[-+]%a*o$") and argv[i + 1] == "pipefail" then return true end
  end
  return false
end

local POSIX = { sh = true, bash = true, ash = true, dash = true, zsh = true, ksh = true, mksh = true }
-- Commands that cannot fail in a way a pipe would hide: what they write
-- is fixed (echo "$SHA *file" | sha256sum -c - checks what matters).
local HARMLESS = { echo = true, printf = true, yes = true, ["true"] = true, [":"] = true }

-- The shell state a stage starts with: its parent stage's at its end, or
-- the default /bin/sh -c (an entry of model.chains).
local function start_state(e)
  if e.parent then return e.parent.shell_end end
  return { pipefail = false, posix = true, program = "sh" }
end

-- True when a stage of the chain installs bash (apk add bash).
local function installs_bash(e)
  while e do
    local commands_list = e.image.commands
    for j = 1, #commands_list do
      local cmd = commands_list[j]
      local p = cmd.package
      if p and p.packages then
        local packages = p.packages
        for k = 1, #packages do
          local pkg = packages[k]
          if pkg.name == "bash" then return true end
        end
      end
    end
    e = e.parent
  end
  return false
end

-- How to set pipefail in this stage: bash where it exists, BusyBox ash's
-- own option on Alpine and BusyBox images without bash.
local function advice(e, program)
  if program == "bash" or program == "ash" then
    return ("add -o pipefail to the SHELL: SHELL [\"/bin/%s\", \"-o\", \"pipefail\", \"-c\"]"):format(program)
  end
  if e.base and images.busybox_based(e.base) and not installs_bash(e) then
    return "start the RUN with `set -o pipefail &&` (BusyBox ash has it; there is no bash here), "
      .. "or SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]"
  end
  if e.base == nil then
    return "start the RUN with `set -o pipefail &&` (in bash or ash)"
  end
  return "set it for the stage with SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"], "
    .. "or start the RUN with `set -o pipefail &&` in a shell that has it"
end

-- The first pipe of one RUN's commands (from index k on) that hides a
-- failure, as its first command that can fail and the command it pipes
-- into; nil when there is none. Returns the index after the RUN too.
local function risky_pipe(cmds, k, index, first)
  local set_in = false      -- set -o pipefail seen so far in this RUN
  local covered = nil       -- depth below which a `bash -o pipefail -c` script runs
  local found, into = nil, nil
  local cmd = cmds[k]
  while cmd and cmd.instruction == index do
    k = k + 1
    if covered and cmd.depth <= covered then covered = nil end
    local name = cmd.name
    if name == "set" and sets_pipefail(cmd.argv) then set_in = true end
    if POSIX[cmd.program or ""] and sets_pipefail(cmd.words) then covered = covered or cmd.depth end
    if not found and not set_in and not covered then
      -- A pipeline's commands come in order (pipe_index 0 first) and its
      -- number is unique in the stage: an entry in `first` is of an
      -- earlier command of this pipeline, so this one is piped into.
      local upstream = first[cmd.pipeline]
      if upstream then found, into = upstream, cmd end
      if not found and not HARMLESS[name] and first[cmd.pipeline] == nil then
        first[cmd.pipeline] = cmd
      end
    end
    cmd = cmds[k]
  end
  return found, into, k
end

return {
  id = "pipefail-missing",
  title = "Pipe in RUN without pipefail",
  severity = "low",
  applies_to = "document",
  description = [[
A RUN step pipes a command that can fail into another (`curl ... | tar
-x`, `wget -O- ... | sh`) and the shell does not have pipefail set. A
pipeline's exit status is that of its last command only: when the
download fails, tar or sh still succeeds with no input, the step passes,
and the image is built without what it was meant to contain. A pipe
whose first command only prints fixed text (echo, printf, yes) hides
nothing and is not reported.]],
  remediation = [[
Make every pipe fail when any part fails, once for the stage where
bash exists:
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
On Alpine and BusyBox images, which have no bash unless you install it,
use ash's own option: SHELL ["/bin/ash", "-eo", "pipefail", "-c"], or in
the RUN itself: RUN set -o pipefail && wget -qO- ... | tar -xz]],
  refs = {
    hadolint = "DL4006",
    kics = "efbf148a",
  },
  check = function(document)
    local chains = model.chains(document)
    for j = 1, #chains do
      local e = chains[j]
      local image, state = e.image, start_state(e)
      local pipefail, posix, program = state.pipefail, state.posix, state.program
      -- Commands come in source order: one walk beside the instructions
      -- finds each RUN's own (linear in the stage's size).
      local cmds, k = image.commands, 1
      -- pipeline -> its first command that can fail; one table for the
      -- stage's RUNs, as pipeline numbers are unique within a stage.
      local first = {}
      local instructions_list = image.instructions
      for i = 1, #instructions_list do
        local instr = instructions_list[i]
        if instr.keyword == "SHELL" then
          pipefail = sets_pipefail(instr.args)
          program = paths.base(instr.args[1] or "")
          posix = POSIX[program] == true
        elseif instr.keyword == "RUN" then
          while cmds[k] and cmds[k].instruction < i - 1 do k = k + 1 end
          if posix and not pipefail and not instr.json then
            local upstream, into
            upstream, into, k = risky_pipe(cmds, k, i - 1, first)
            if upstream then
              report(upstream, ("%s's failure is hidden by the pipe into %s: %s")
                :format(upstream.name, into.name, advice(e, program)))
            end
          end
        end
      end
      e.shell_end = { pipefail = pipefail, posix = posix, program = program }
    end
  end,
}
