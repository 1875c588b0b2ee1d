-- DL3001: RUN calls a command that has no use in a container build.

local POINTLESS = {
  free = true, kill = true, mount = true, ps = true, service = true,
  shutdown = true, ssh = true, top = true, vim = true,
}

return {
  id = "DL3001",
  title = "RUN calls an interactive or system-management command",
  severity = "low",
  applies_to = "image",
  description = [[
A RUN step calls a command that makes no sense while an image is built:
an editor (vim), a process or memory viewer (ps, top, free), a command
that manages services or the machine (service, kill, mount, shutdown) or
a remote login (ssh). A build has no terminal, no running services and no
init system, so these either do nothing useful, hang, or fail.]],
  remediation = [[
Remove the command from the RUN step. Configure services through files
and the image's CMD or ENTRYPOINT, edit files with sed or COPY a
prepared file, and fetch remote content with a download tool (curl) or a
build secret instead of an ssh session.]],
  refs = { hadolint = "DL3001" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      local prog = cmd.program
      if prog and POINTLESS[prog] then
        report(cmd, ("%s has no use in a RUN step of an image build"):format(prog))
      end
    end
  end,
}
