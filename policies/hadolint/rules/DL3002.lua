-- DL3002: a stage's last USER is root.
local util = require "hadolint_a_util"

return {
  id = "DL3002",
  title = "The last USER is root",
  severity = "medium",
  applies_to = "image",
  description = [[
A stage ends with USER root (or uid 0), so what runs from it runs as
root unless whoever starts it overrides the user. A process that runs as
root and is broken into gives the attacker root inside the container,
and a much shorter path to the host. Switching to root for a few build
steps is fine; ending a stage on it is what this rule reports (like
hadolint, in every stage, and only when the stage has a USER line).]],
  remediation = [[
Create an unprivileged user and make it the last USER of the stage:
    RUN useradd --system --uid 10001 app
    USER 10001
Steps that need root go before that line (or between USER root and
USER 10001).]],
  refs = { hadolint = "DL3002", cis = "4.1", trivy = "DS002", kics = "fd54f200" },
  check = function(image)
    local last
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "USER" then last = instr end
    end
    -- Judge the user as written (hadolint does not expand variables).
    if last and util.is_root_user(last.args[1]) then
      report(last, ("the last USER of the stage is %s: it runs as root"):format(last.args[1]))
    end
  end,
}
