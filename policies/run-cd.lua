-- RUN changes directory with cd instead of WORKDIR.

return {
  id = "run-cd",
  title = "cd in RUN instead of WORKDIR",
  severity = "info",
  profile = "strict",
  applies_to = "image",
  description = [[
A RUN step changes directory with cd. The change lasts only for that
RUN, so the next instruction is back where it was: easy to misread, and
long `cd a && ... && cd ../b` chains hide where commands really run.]],
  remediation = [[
Set the directory with WORKDIR, which applies to every following
instruction (and to the container):
    WORKDIR /src/app
    RUN make install
For a single command in another folder, many tools take one:
`make -C /src/app`, `git -C /src/app`, `npm --prefix /src/app`.]],
  refs = {
    hadolint = "DL3003",
    trivy = "DS013",
    kics = "f4a6bcd3",
  },
  check = function(image)
    local seen = {} -- one finding per RUN
    local commands_list = image.commands
    for i = 1, #commands_list do
      local cmd = commands_list[i]
      if cmd.name == "cd" and cmd.argv[1] == "cd" and cmd.source ~= "exec" and not seen[cmd.instruction] then
        seen[cmd.instruction] = true
        report(cmd, ("cd %s lasts only for this RUN; use WORKDIR"):format(cmd.argv[2] or ""))
      end
    end
  end,
}
