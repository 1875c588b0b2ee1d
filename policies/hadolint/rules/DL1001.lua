-- DL1001: inline ignore pragmas are used (hadolint has this rule off by default).
return {
  id = "DL1001",
  title = "Inline ignore comment used",
  severity = "info",
  -- hadolint runs DL1001 only when asked (its level is "ignore" by
  -- default): here it belongs to the profile `all`.
  profile = "all",
  applies_to = "document",
  description = [[
The Dockerfile silences a rule for one instruction with an ignore
comment (`# hadolint ignore=DL3008`). Teams
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
    -- hadolint's line pragmas only (`# hadolint ignore=`), whether or not
    -- they cover anything or are applied: a stage or global pragma is a
    -- decision that stays visible, and libpolicy's own `# policy ignore=`
    -- comments are not hadolint's.
    for _, p in ipairs(document.pragmas or {}) do
      if p.kind == "ignore" then
        report(p, ("an ignore pragma silences %s for the next instruction"):format(table.concat(p.ids, ",")))
      end
    end
  end,
}
