-- CMD, ENTRYPOINT or HEALTHCHECK appears more than once in a stage.

return {
  id = "duplicate-cmd-entrypoint-healthcheck",
  title = "CMD, ENTRYPOINT or HEALTHCHECK given more than once",
  severity = "low",
  applies_to = "image",
  description = [[
A stage has more than one CMD, ENTRYPOINT or HEALTHCHECK. Only the last
of each takes effect; the earlier ones do nothing, yet readers (and
reviewers) may believe they do, for example a HEALTHCHECK that was
meant to stay, or a CMD left over from a copy-paste.]],
  remediation = [==[
Keep one of each, at the end of the stage:
    HEALTHCHECK --interval=30s CMD ["/app/healthcheck"]
    ENTRYPOINT ["/app/server"]
    CMD ["--port", "8080"]]==],
  refs = {
    hadolint = { "DL4003", "DL4004", "DL3012" },
    trivy = { "DS016", "DS007", "DS023" },
    kics = { "41c195f4", "6938958b" },
  },
  check = function(image)
    local first = {}
    local instructions = image.instructions
    for i = 1, #instructions do
      local instr = instructions[i]
      local k = instr.keyword
      if k == "CMD" or k == "ENTRYPOINT" or k == "HEALTHCHECK" then
        if first[k] then
          report(instr, ("another %s, after the one on line %d: only the last one counts"):format(k, first[k]))
        else
          first[k] = instr.line
        end
      end
    end
  end,
}
