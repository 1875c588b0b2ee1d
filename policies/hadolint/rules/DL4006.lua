-- DL4006: a RUN with a pipe while the shell does not set pipefail.

-- True when a shell argv sets pipefail (-o pipefail, -euo pipefail, ...).
local function sets_pipefail(argv)
  for i = 1, #argv - 1 do
    if argv[i]:match("^[-+]%a*o$") and argv[i + 1] == "pipefail" then return true end
  end
  return false
end

-- The shells the rule judges; after a SHELL of another kind (pwsh, cmd),
-- or in a stage whose base image's shell a `# hadolint shell=` pragma
-- declares to be another kind, it stays silent.
local POSIX = { sh = true, bash = true, ash = true, dash = true, zsh = true, ksh = true, mksh = true }

return {
  id = "DL4006",
  title = "RUN with a pipe without pipefail",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN pipes one command into another while the shell does not set
pipefail. The step's exit status is then the last command's only: in
"curl URL | tar x" a failed download goes unnoticed and the build
continues with a broken image.]],
  remediation = [==[
Set pipefail once, before the RUN steps that use pipes:
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]
(on Alpine, install bash or use ["/bin/ash", "-eo", "pipefail", "-c"]).]==],
  refs = { hadolint = "DL4006", kics = "efbf148a" },
  check = function(image)
    local declared = image.declared_shell
    local pipefail, posix = false, declared == nil or POSIX[text.base(declared)] == true
    local cmds, k = image.commands, 1
    for i, instr in ipairs(image.instructions) do
      local run = shell.run_instruction(image, i - 1) -- a RUN, or an ONBUILD's RUN
      if instr.keyword == "SHELL" then
        local shell_name = text.base(instr.args[1] or "")
        -- As hadolint, plain sh does not count as setting pipefail: the
        -- option is not POSIX and older dash has no such option.
        pipefail = shell_name ~= "sh" and sets_pipefail(instr.args)
        posix = POSIX[shell_name] == true
      elseif run and posix and not pipefail and not run.json then
        while cmds[k] and cmds[k].instruction < i - 1 do k = k + 1 end
        local set_in = false
        while cmds[k] and cmds[k].instruction == i - 1 do
          local cmd = cmds[k]
          k = k + 1
          if cmd.name == "set" and sets_pipefail(cmd.argv) then set_in = true end
          if cmd.pipe_index == 1 and not set_in then
            report(instr, "this RUN pipes without pipefail: a failure before the last | is hidden")
            break
          end
        end
      end
    end
  end,
}
