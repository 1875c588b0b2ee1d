-- DL3045: COPY to a relative destination without a WORKDIR.

-- The destination as written: the last argument of the instruction,
-- without quotes. The model's `dest` has build variables expanded (an
-- unset one to nothing) and backslashes taken as escapes, which would
-- turn `$DEST` and `C:\app` into relative paths.
local function written_dest(instr, copy)
  local args = instr.args
  local raw = args and args[#args]
  if raw == nil then return copy.dest end
  return raw:match('^"(.*)"$') or raw:match("^'(.*)'$") or raw
end

-- Absolute: /path, a Windows drive path (C:\ or C:/), or a build
-- variable, whose value the build decides.
local function relative(dest)
  return dest:sub(1, 1) ~= "/" and dest:sub(1, 1) ~= "$" and not dest:find("^%a:[/\\]")
end

return {
  id = "DL3045",
  title = "COPY to a relative path without WORKDIR",
  severity = "medium",
  applies_to = "image",
  description = [[
COPY writes to a relative path while no WORKDIR is set in the stage or
the stages it builds on. The files then land relative to the base image's
working directory, which the base image can change at any release.]],
  remediation = [[
Set WORKDIR before the COPY, or use an absolute destination:
    WORKDIR /app
    COPY package.json ./]],
  refs = { hadolint = "DL3045" },
  check = function(image, document)
    local has_workdir = false
    local p = image.parent
    while p ~= nil and not has_workdir do
      local parent = document.images[p + 1]
      if parent.workdir then has_workdir = true end
      p = parent.parent
    end
    if has_workdir then return end
    local copies, k = image.copies, 1
    for i, instr in ipairs(image.instructions) do
      if instr.keyword == "WORKDIR" then return end
      while copies[k] and copies[k].instruction < i - 1 do k = k + 1 end
      local c = copies[k]
      if c and c.instruction == i - 1 and not c.add and relative(written_dest(instr, c)) then
        report(instr, "COPY to the relative path " .. written_dest(instr, c) .. " with no WORKDIR set")
      end
    end
  end,
}
