-- DL4003: more than one CMD in a stage.
return {
  id = "DL4003",
  title = "More than one CMD in a stage",
  severity = "medium",
  applies_to = "image",
  description = [[
A stage has several CMD instructions. Only the last one takes effect, so
the others are dead text that misleads whoever reads the file.]],
  remediation = [[
Keep one CMD per stage (the one you want the container to run) and delete
the others. To run several commands, put them in a script and CMD that.]],
  refs = { hadolint = "DL4003", trivy = "DS016" },
  check = function(image)
    local seen = false
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "CMD" then
        if seen then report(instr, "another CMD in this stage: only the last CMD takes effect") end
        seen = true
      end
    end
  end,
}
