-- WORKDIR is given a relative path.

return {
  id = "workdir-not-absolute",
  title = "WORKDIR is a relative path",
  severity = "low",
  applies_to = "image",
  description = [[
A WORKDIR names a relative path. It is resolved against the working
directory in force, which comes from an earlier WORKDIR or from the
base image: the same line means a different folder when the base image
changes, and readers have to work out where files end up.]],
  remediation = [[
Always give WORKDIR an absolute path:
    WORKDIR /app
(a path from a variable is fine when the variable holds an absolute path:
WORKDIR ${APP_HOME}).]],
  refs = {
    hadolint = "DL3000",
    trivy = "DS009",
    kics = "6b376af8",
    checkov = "CKV_DOCKER_10",
  },
  check = function(image)
    local workdirs = model.instructions(image, "WORKDIR")
    for i = 1, #workdirs do
      local instr = workdirs[i]
      local raw = instr.args[1] or ""
      -- value is the path after quote removal and variable expansion.
      local path = instr.value or raw
      local absolute = path:sub(1, 1) == "/" or path:match("^%a:[\\/]") or path:sub(1, 1) == "\\"
      if path ~= "" and not absolute and not path:find("%$") then
        local shown = path ~= raw and ("%s (%s)"):format(raw, path) or raw
        report(instr, ("WORKDIR %s is relative; give an absolute path"):format(shown))
      end
    end
  end,
}
