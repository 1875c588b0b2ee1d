-- DL3003: cd in RUN where WORKDIR would do.
return {
  id = "DL3003",
  title = "cd used in RUN instead of WORKDIR",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN step changes directory with cd. The change lasts only for that RUN,
so the steps after it silently run somewhere else again, and a reader has
to follow every cd to know where a command works. WORKDIR sets the
directory for all following instructions, and creates it when missing.]],
  remediation = [[
Set the directory with WORKDIR before the RUN step:
    WORKDIR /usr/src/app
    RUN make install
For a single command in another folder, most tools take the folder as an
option instead (make -C dir, git -C dir, tar -C dir).]],
  refs = { hadolint = "DL3003", trivy = "DS013", kics = "f4a6bcd3" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "cd" then
        report(cmd, "cd only lasts for this RUN; use WORKDIR to change the directory")
      end
    end
  end,
}
