-- DL3002: the last USER of the image is root.
local util = require "hadolint_a_util"

-- The last USER instruction of the stage, or nil.
local function last_user(image)
  local found
  for _, instr in ipairs(image.instructions) do
    if instr.keyword == "USER" then found = instr end
  end
  return found
end

return {
  id = "DL3002",
  title = "The last USER is root",
  severity = "medium",
  applies_to = "image",
  description = [[
The image ends with USER root (or uid 0), so its containers run as root
unless whoever starts them overrides it. A process that runs as root and
is broken into gives the attacker root inside the container, and a much
shorter path to the host. Switching to root for a few build steps is
fine; ending on it is what matters.]],
  remediation = [[
Create an unprivileged user and make it the last USER of the image:
    RUN useradd --system --uid 10001 app
    USER 10001
Steps that need root go before that line (or between USER root and
USER 10001).]],
  refs = { hadolint = "DL3002", cis = "4.1", trivy = "DS002", kics = "fd54f200" },
  check = function(image, document)
    if not image.final then return end
    -- The stage's own last USER, else the one it inherits through FROM <stage>.
    local stage, instr = image, last_user(image)
    while instr == nil and stage.parent ~= nil do
      stage = document.images[stage.parent + 1]
      instr = last_user(stage)
    end
    if instr and util.is_root_user(instr.value or instr.args[1]) then
      if stage == image then
        report(instr, ("the last USER is %s: the container runs as root"):format(instr.args[1]))
      else
        report(image.from, ("the stage inherits USER %s from stage %s: the container runs as root")
          :format(instr.args[1], stage.name or tostring(stage.index)))
      end
    end
  end,
}
