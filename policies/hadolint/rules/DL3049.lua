-- DL3049: a label the schema (label-schema) names is missing from a stage.
local labels = require "hadolint_labels"

-- The keys the stage's own LABEL instructions set: a new set.
local function own_keys(image, document)
  local keys = {}
  for _, instr in ipairs(labels.instructions(image)) do
    for _, p in ipairs(labels.pairs(instr, document.escape or "\\")) do keys[p.key] = true end
  end
  return keys
end

-- True when a later stage makes this one an intermediate: it copies files
-- from it (COPY --from), or it is built FROM it and sets the label itself.
-- hadolint does not ask for the labels there.
local function intermediate(image, document, name)
  for j = image.index + 2, #document.images do
    local later = document.images[j]
    for _, c in ipairs(later.copies) do
      if c.from_stage == image.index then return true end
    end
    if later.parent == image.index and own_keys(later, document)[name] then return true end
  end
  return false
end

return {
  id = "DL3049",
  title = "Required label missing",
  severity = "low",
  applies_to = "image",
  description = [[
Your label schema (`label-schema` in .hadolint.yaml, or
data.hadolint.label_schema) lists labels every image must carry, and this
stage sets none of that name, neither itself nor through the stage it is
built FROM. Labels are how registries, scanners and people find out an
image's source, version, owner and licence. Stages used only as a
source of COPY --from, and stages a later stage builds on and labels,
are not asked for labels.]],
  remediation = [[
Add the label to the stage, usually from build arguments so the values
stay current:
    ARG VCS_REF
    LABEL org.opencontainers.image.revision=$VCS_REF \
          org.opencontainers.image.source="https://github.com/acme/api"]],
  refs = { hadolint = "DL3049" },
  check = function(image, document)
    local schema = labels.schema(data)
    if #schema == 0 or not labels.is_stage(image) then return end
    for _, s in ipairs(schema) do
      if image.labels[s.name] == nil and not intermediate(image, document, s.name) then
        report(image, ("the stage has no label %s (the label schema requires it)"):format(s.name))
      end
    end
  end,
}
