-- DL3057: a stage has no HEALTHCHECK, of its own or from the stage it is
-- built FROM (hadolint has this rule off by default).
local labels = require "hadolint_labels"

-- True when the stage or one of the stages it is built FROM has a
-- HEALTHCHECK instruction (HEALTHCHECK NONE counts: it is a decision).
local function has_healthcheck(image, document)
  local seen = 0
  while image do
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "HEALTHCHECK" then return true end
    end
    seen = seen + 1
    -- parent indexes only point backwards, so the chain ends
    assert(seen <= #document.images, "stage parent chain loops")
    image = image.parent and document.images[image.parent + 1]
  end
  return false
end

-- True when a stage built FROM this one (directly or further down) has
-- its own HEALTHCHECK: the chain of stages then ends with the decision
-- made, as hadolint reads it. Parents point backwards, so one pass over
-- the later stages finds every descendant.
local function descendant_has_healthcheck(image, document)
  local below = { [image.index] = true }
  for i = image.index + 2, #document.images do
    local other = document.images[i]
    if other.parent ~= nil and below[other.parent] then
      below[other.index] = true
      for _, instr in ipairs(other.instructions) do
        if instr.keyword == "HEALTHCHECK" then return true end
      end
    end
  end
  return false
end

return {
  id = "DL3057",
  title = "HEALTHCHECK missing",
  severity = "info",
  -- hadolint runs DL3057 only when asked (its level is "ignore" by
  -- default): here it belongs to the profile `all`.
  profile = "all",
  applies_to = "image",
  description = [[
The stage has no HEALTHCHECK instruction, and neither has a stage it is
built FROM nor a stage built FROM it. Without one, Docker and Swarm only know whether the main
process runs, not whether it still serves: a hung server stays "up" and
is never restarted. (The base image may define one; the Dockerfile alone
cannot tell.) hadolint ships this rule switched off.]],
  remediation = [[
Declare how to probe the service:
    HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
      CMD wget -q --spider http://localhost:8080/healthz || exit 1
or `HEALTHCHECK NONE` to state that the image has none on purpose.]],
  refs = { hadolint = "DL3057" },
  check = function(image, document)
    if not labels.is_stage(image) then return end
    if not has_healthcheck(image, document) and not descendant_has_healthcheck(image, document) then
      report(image, "the stage has no HEALTHCHECK, and none is inherited from a stage it is built FROM")
    end
  end,
}
