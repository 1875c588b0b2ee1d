-- DL3050: a label outside the schema, with strict-labels on.
local labels = require "hadolint_labels"

return {
  id = "DL3050",
  title = "Label not in the label schema",
  severity = "low",
  applies_to = "image",
  description = [[
With `strict-labels: true` the label schema is the complete list of
labels an image may carry, and this LABEL sets one it does not list: a
misspelt name (`org.opencontainers.image.licence`) or metadata nobody
agreed on. Without strict-labels this rule is silent.]],
  remediation = [[
Use the name the schema gives, or add the label to the schema
(`label-schema:` in .hadolint.yaml) when it belongs there.]],
  refs = { hadolint = "DL3050" },
  check = function(image, document)
    if not labels.strict(data) then return end
    local _, known = labels.schema(data)
    -- One finding per LABEL instruction, as hadolint, at its first
    -- label outside the schema.
    for _, instr in ipairs(labels.instructions(image)) do
      local extra, at = {}, nil
      for _, p in ipairs(labels.pairs(instr, document.escape or "\\")) do
        if not known[p.key] then
          extra[#extra + 1] = p.key
          at = at or p.key_index
        end
      end
      if at then
        report(instr.args, at, ("label%s %s not in the label schema (strict-labels)"):format(
          #extra > 1 and "s" or "", table.concat(extra, ", ") .. (#extra > 1 and " are" or " is")))
      end
    end
  end,
}
