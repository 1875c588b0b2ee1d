-- A RUN pipeline runs without pipefail, so a failing first command goes unnoticed.

-- True when a shell argv sets pipefail (-o pipefail, -euo pipefail, ...).
local function sets_pipefail(argv)
  for i = 1, #argv - 1 do
    if argv[i]:match("^[-+]%a*o$") and argv[i + 1] == "pipefail" then return true end
  end
  return false
end

local POSIX = { sh = true, bash = true, ash = true, dash = true, zsh = true, ksh = true, mksh = true }

return {
  id = "pipefail-missing",
  title = "Pipe in RUN without pipefail",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step pipes commands together (`curl ... | tar -x`, `wget -O- ... |
sh`) and the shell does not have pipefail set. A pipeline's exit status
is that of its last command only: when the download fails, tar or sh
still succeeds with no input, the step passes, and the image is built
without what it was meant to contain.]],
  remediation = [[
Make every pipe fail when any part fails, once for the stage:
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
(on Alpine, whose /bin/sh is ash: SHELL ["/bin/ash", "-eo", "pipefail", "-c"]),
or in the RUN itself: RUN set -o pipefail && curl ... | tar -xz]],
  refs = {
    hadolint = "DL4006",
    kics = "efbf148a",
  },
  check = function(image, document)
    -- The SHELL in force where the stage starts: its parent stage's, or the default.
    local inherited = nil
    if image.parent ~= nil then
      for _, other in ipairs(document.images) do
        if other.index == image.parent and other.shell then inherited = other.shell end
        if other == image then break end
      end
    end
    local pipefail = inherited ~= nil and sets_pipefail(inherited)
    local posix = inherited == nil or POSIX[paths.base(inherited[1])]
    local reported = {}
    local set_in = {} -- RUN instruction -> set -o pipefail seen so far
    for i, instr in ipairs(image.instructions) do
      if instr.keyword == "SHELL" then
        pipefail = sets_pipefail(instr.args)
        posix = POSIX[paths.base(instr.args[1])]
      elseif instr.keyword == "RUN" and posix and not pipefail and not instr.json then
        for _, cmd in ipairs(image.commands) do
          if cmd.instruction == i - 1 then
            if cmd.name == "set" and cmd.argv[1] == "set" and sets_pipefail(cmd.argv) then set_in[i] = true end
            if cmd.pipe_index == 1 and not set_in[i] and not reported[i] then
              reported[i] = true
              report(cmd, "this pipe's failures are hidden: set pipefail (SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"])")
            end
          end
        end
      end
    end
  end,
}
