-- DL3012: more than one HEALTHCHECK in a stage.
return {
  id = "DL3012",
  title = "More than one HEALTHCHECK in a stage",
  severity = "high",
  applies_to = "image",
  description = [[
A stage has several HEALTHCHECK instructions. Only the last one takes
effect; the others are dead code that misleads readers about how the
container's health is checked.]],
  remediation = [[
Keep one HEALTHCHECK per stage, the one you mean:
    HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:8080/health || exit 1]],
  refs = { hadolint = "DL3012" },
  check = function(image)
    local first
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "HEALTHCHECK" then
        if first then
          report(instr, ("another HEALTHCHECK after the one on line %d; only the last one counts"):format(first.line))
        else
          first = instr
        end
      end
    end
  end,
}
