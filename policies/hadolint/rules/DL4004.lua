-- DL4004: more than one ENTRYPOINT in a stage.
return {
  id = "DL4004",
  title = "More than one ENTRYPOINT in a stage",
  severity = "high",
  applies_to = "image",
  description = [[
A stage has several ENTRYPOINT instructions. Only the last one takes
effect, so the earlier ones never run and hide what the image really does.]],
  remediation = [[
Keep one ENTRYPOINT per stage and delete the others. If you need a
wrapper, write one script that does both steps and make it the ENTRYPOINT.]],
  refs = { hadolint = "DL4004", trivy = "DS007" },
  check = function(image)
    local seen = false
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "ENTRYPOINT" then
        if seen then report(instr, "another ENTRYPOINT in this stage: only the last one takes effect") end
        seen = true
      end
    end
  end,
}
