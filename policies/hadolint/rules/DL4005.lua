-- DL4005: ln ... /bin/sh instead of SHELL.
return {
  id = "DL4005",
  title = "ln to /bin/sh instead of SHELL",
  severity = "medium",
  applies_to = "image",
  description = [[
A RUN replaces /bin/sh with a link to another shell. That changes the
shell of every program in the image, not only of the build, and hides the
choice from whoever reads the Dockerfile.]],
  remediation = [==[
Use the SHELL instruction to run later RUN steps with another shell:
    SHELL ["/bin/bash", "-o", "pipefail", "-c"]]==],
  refs = { hadolint = "DL4005" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      if cmd.program == "ln" then
        local w = cmd.words
        if w[#w] == "/bin/sh" and #w > 2 then
          report(cmd, "linking /bin/sh changes the shell for everything; use SHELL")
        end
      end
    end
  end,
}
