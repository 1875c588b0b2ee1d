-- DL1001: inline ignore pragmas are used (hadolint has this rule off by default).
return {
  id = "DL1001",
  title = "Inline ignore comment used",
  severity = "info",
  applies_to = "document",
  description = [[
The Dockerfile silences a rule with an ignore comment
(`# hadolint ignore=DL3008` or `# hadolint global ignore=...`). Teams
that want every exception to be reviewed centrally (in the linter's
configuration, not in each file) turn this rule on so that local
suppressions are reported instead of silently honoured. hadolint ships
it switched off.]],
  remediation = [[
Remove the ignore comment and fix what the rule reports, or, when the
exception is deliberate, record it in the shared configuration
(`ignored:` in .hadolint.yaml, or `ignore:` in .policy.yaml) where it is
reviewed with the rest of the policy.]],
  refs = { hadolint = "DL1001" },
  check = function(document)
    for _, s in ipairs(document.suppressions) do
      local ids = table.concat(s.ids, ",")
      if s.global then
        report(s, ("a global ignore comment silences %s for the whole file"):format(ids))
      else
        report(s, ("an ignore comment silences %s for this instruction"):format(ids))
      end
    end
  end,
}
