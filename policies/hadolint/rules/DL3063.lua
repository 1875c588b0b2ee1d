-- DL3063: a stage named with a reserved word.
local RESERVED = { scratch = true, context = true }

return {
  id = "DL3063",
  title = "Stage named with a reserved word",
  severity = "medium",
  applies_to = "image",
  description = [[
A stage is called "scratch" or "context". These names already mean
something to the builder (the empty image, the build context), so a
later FROM or COPY --from with that name does not reach the stage.]],
  remediation = [[
Rename the stage (FROM golang:1.22 AS build) and update every FROM and
COPY --from that names it.]],
  refs = { hadolint = "DL3063" },
  check = function(image)
    local name = image.name
    if name and RESERVED[name] then
      report(image.instructions[1], "the stage name '" .. name .. "' is reserved; pick another name")
    end
  end,
}
