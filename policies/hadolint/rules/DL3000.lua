-- DL3000: WORKDIR must be an absolute path.
return {
  id = "DL3000",
  title = "WORKDIR is not an absolute path",
  severity = "high",
  applies_to = "image",
  description = [[
A WORKDIR names a relative path. Docker resolves it against whatever
working directory is in force at that point (set by an earlier WORKDIR
or by the base image), so the same line can point somewhere else when
the base image changes, and readers cannot tell where files will land.]],
  remediation = [[
Give WORKDIR an absolute path, for example
    WORKDIR /app
A path held in a variable is accepted (WORKDIR $APP_HOME): make sure the
variable holds an absolute path.]],
  refs = { hadolint = "DL3000", trivy = "DS009", kics = "6b376af8", checkov = "CKV_DOCKER_10" },
  check = function(image)
    for _, instr in ipairs(image.instructions) do
      if instr.keyword == "WORKDIR" then
        local raw = instr.args[1] or ""
        -- Judge the path as written, without its quotes (hadolint does not expand variables).
        local path = raw:gsub('^"(.*)"$', "%1"):gsub("^'(.*)'$", "%1")
        local absolute = path:sub(1, 1) == "/" or path:sub(1, 1) == "$"
          or path:match("^%a:[\\/]") ~= nil or path:sub(1, 1) == "\\"
        if path ~= "" and not absolute then
          report(instr, ("WORKDIR %s is a relative path; use an absolute one"):format(raw))
        end
      end
    end
  end,
}
