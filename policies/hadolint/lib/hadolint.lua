-- Helpers shared by the hadolint pack's rules (docs/hadolint.md).
local M = {}

-- hadolint's four levels onto libpolicy's severities.
M.severity = { error = "high", warning = "medium", info = "low", style = "info" }

-- A rule table for the DL code `code` at hadolint level `level`:
-- fills id, severity and refs so every rule of the pack says the same.
function M.rule(code, level, t)
  assert(M.severity[level], "unknown hadolint level " .. tostring(level))
  t.id = code
  t.severity = M.severity[level]
  t.refs = t.refs or {}
  t.refs.hadolint = code
  t.applies_to = t.applies_to or "image"
  return t
end

return M
