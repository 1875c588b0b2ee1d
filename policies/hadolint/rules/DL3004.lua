-- DL3004: sudo in RUN.
return {
  id = "DL3004",
  title = "sudo used in RUN",
  severity = "high",
  applies_to = "image",
  description = [[
A RUN step calls sudo. Build steps already run as root until a USER
instruction says otherwise, so sudo is not needed; it behaves badly
without a terminal (password prompts, signals), and keeping it in the
image gives an intruder an easy way back to root.]],
  remediation = [[
Run the step before switching to the unprivileged user, or switch to root
just for it:
    USER root
    RUN apt-get update && apt-get install -y --no-install-recommends curl
    USER app
If a process needs one privileged action at run time, use gosu or
su-exec in an entrypoint that drops privileges, not sudo.]],
  refs = { hadolint = "DL3004", trivy = "DS010", kics = "8ada6e80", checkov = "CKV2_DOCKER_1" },
  check = function(image)
    for _, cmd in ipairs(image.commands) do
      -- cmd.name is the word the shell runs; sudo behind env is in words.
      if cmd.name == "sudo" or (cmd.program == "sudo") then
        report(cmd, "RUN calls sudo; build steps run as root unless USER changed it")
      end
    end
  end,
}
